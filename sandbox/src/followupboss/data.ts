/** Follow Up Boss constants and the account a reset starts with. */
import type { Store } from "../state/store";

/** Event types `POST /v1/events` accepts (`Inquiry` is shorthand, resolved before this check). */
export const EVENT_TYPES = [
  "Registration",
  "Seller Inquiry",
  "Property Inquiry",
  "General Inquiry",
  "Viewed Property",
  "Saved Property",
  "Visited Website",
  "Incoming Call",
  "Unsubscribed",
  "Property Search",
  "Saved Property Search",
  "Visited Open House",
  "Viewed Page",
] as const;

/** Webhook events a registration may name. */
export const WEBHOOK_EVENTS = [
  "peopleCreated",
  "peopleUpdated",
  "peopleDeleted",
  "peopleTagsCreated",
  "peopleStageUpdated",
  "peopleRelationshipCreated",
  "peopleRelationshipUpdated",
  "peopleRelationshipDeleted",
  "notesCreated",
  "notesUpdated",
  "notesDeleted",
  "tasksCreated",
  "tasksUpdated",
  "tasksDeleted",
  "dealsCreated",
  "dealsUpdated",
  "dealsDeleted",
  "appointmentsCreated",
  "appointmentsUpdated",
  "appointmentsDeleted",
  "textMessagesCreated",
  "textMessagesUpdated",
  "textMessagesDeleted",
  "callsCreated",
  "callsUpdated",
  "callsDeleted",
  "emailsCreated",
  "emailsUpdated",
  "emailsDeleted",
  "eventsCreated",
  "emEventsOpened",
  "emEventsClicked",
  "emEventsUnsubscribed",
  "stageCreated",
  "stageUpdated",
  "stageDeleted",
  "pipelineCreated",
  "pipelineUpdated",
  "pipelineDeleted",
  "pipelineStageCreated",
  "pipelineStageUpdated",
  "pipelineStageDeleted",
  "customFieldsCreated",
  "customFieldsUpdated",
  "customFieldsDeleted",
  "dealCustomFieldsCreated",
  "dealCustomFieldsUpdated",
  "dealCustomFieldsDeleted",
  "reactionCreated",
  "reactionDeleted",
  "threadedReplyCreated",
  "threadedReplyUpdated",
  "threadedReplyDeleted",
] as const;

export interface User {
  id: number;
  name: string;
  firstName: string;
  lastName: string;
  email: string;
  role: "Owner" | "Broker" | "Agent";
  status: "Active";
}

export interface PersonStage {
  id: number;
  name: string;
  orderWeight: number;
}

export interface PipelineStage {
  id: number;
  name: string;
  description: string;
  orderWeight: number;
  closedStage: boolean;
  color: string;
}

export interface Pipeline {
  id: number;
  name: string;
  description: string;
  orderWeight: number;
  stages: PipelineStage[];
}

export interface CustomField {
  id: number;
  label: string;
  name: string;
  type: "text" | "date" | "number" | "dropdown";
  choices: string[];
  orderWeight: number;
  hideIfEmpty: boolean;
  readOnly: boolean;
  isRecurring: boolean;
}

const USERS: User[] = [
  {
    id: 1,
    name: "Morgan Reyes",
    firstName: "Morgan",
    lastName: "Reyes",
    email: "morgan@example-brokerage.test",
    role: "Owner",
    status: "Active",
  },
  { id: 2, name: "Alex Kim", firstName: "Alex", lastName: "Kim", email: "alex@example-brokerage.test", role: "Agent", status: "Active" },
  {
    id: 3,
    name: "Jordan Patel",
    firstName: "Jordan",
    lastName: "Patel",
    email: "jordan@example-brokerage.test",
    role: "Agent",
    status: "Active",
  },
];

// People stages and deal (pipeline) stages are separate lists in FUB, with separate ids.
const PERSON_STAGES = ["Lead", "Prospect", "Active Client", "Under Contract", "Closed", "Past Client", "Sphere", "Trash"];

function stages(base: number, names: string[], closed: string[]): PipelineStage[] {
  return names.map((name, i) => ({
    id: base + i + 1,
    name,
    description: "",
    orderWeight: (i + 1) * 100,
    closedStage: closed.includes(name),
    color: "#3A7BD5",
  }));
}

/** Creates the starting account: users, stages, buyer and seller pipelines, custom fields. */
export function seedAccount(store: Store): void {
  for (const u of USERS) store.put("user", u.id, u, { email: [u.email.toLowerCase()], name: [u.name.toLowerCase()] });
  for (const [i, name] of PERSON_STAGES.entries()) store.put("personStage", i + 1, { id: i + 1, name, orderWeight: (i + 1) * 100 });
  const pipelines: Pipeline[] = [
    {
      id: 1,
      name: "Buyers",
      description: "Default buyer pipeline",
      orderWeight: 100,
      stages: stages(100, ["Lead", "Active Client", "Under Contract", "Closed", "Cancelled"], ["Closed", "Cancelled"]),
    },
    {
      id: 2,
      name: "Sellers",
      description: "Default seller pipeline",
      orderWeight: 200,
      stages: stages(200, ["Lead", "Active Listing", "Under Contract", "Closed", "Cancelled"], ["Closed", "Cancelled"]),
    },
  ];
  for (const p of pipelines) store.put("pipeline", p.id, p);
  store.setMeta("seq:pipeline", 2);
  store.setMeta("seq:pipelineStage", 300);
  putField(store, "dealCustomField", { label: "Transaction ID", type: "text" });
  putField(store, "dealCustomField", { label: "Close Price", type: "number" });
  // The brokerage's own deal fields the hub's example configuration maps (README, "The brokerage's own fields").
  putField(store, "dealCustomField", {
    label: "Compliance Status",
    type: "dropdown",
    choices: ["Pending Compliance Review", "Approved", "Needs Attention"],
  });
  putField(store, "dealCustomField", { label: "Earnest Money", type: "number" });
  putField(store, "dealCustomField", { label: "Inspection Date", type: "date" });
  putField(store, "customField", { label: "Close Date", type: "date" });
}

/** `Close Date` → `customCloseDate`, `Transaction ID` → `customTransactionID`. */
export function customFieldName(label: string): string {
  const words = label.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  return `custom${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("")}`;
}

/** Defines a (deal) custom field and returns it. */
export function putField(
  store: Store,
  kind: "customField" | "dealCustomField",
  input: { label: string; type: CustomField["type"]; choices?: string[] },
): CustomField {
  const id = store.seq(kind);
  const field: CustomField = {
    id,
    label: input.label,
    name: customFieldName(input.label),
    type: input.type,
    choices: input.choices ?? [],
    orderWeight: id * 100,
    hideIfEmpty: false,
    readOnly: false,
    isRecurring: false,
  };
  store.put(kind, id, field, { name: [field.name] });
  return field;
}

/** Finds a pipeline stage by id, with its pipeline. */
export function findStage(store: Store, stageId: number): { pipeline: Pipeline; stage: PipelineStage } | undefined {
  for (const pipeline of store.all<Pipeline>("pipeline")) {
    const stage = pipeline.stages.find((s) => s.id === stageId);
    if (stage) return { pipeline, stage };
  }
  return undefined;
}
