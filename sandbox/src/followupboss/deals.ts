/**
 * FUB deals (`/v1/deals`: name + stageId required, custom fields `custom<Name>`), pipelines and
 * stages. Moving a deal's stage or editing it fires `dealsUpdated`; creating fires `dealsCreated`.
 */
import { Hono } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { asObject, json, num, readJson, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import { findStage } from "./data";
import { breaks } from "../state/settings";
import type { CustomField, PersonStage, Pipeline, User } from "./data";
import { fireFub } from "./hooks";
import { listOf, paginate, sortBy } from "./paginate";
import type { Person } from "./person";

const NUMBERS = ["price", "orderWeight", "commissionValue", "agentCommission", "teamCommission"] as const;
const DATES = [
  "projectedCloseDate",
  "mutualAcceptanceDate",
  "dueDiligenceDate",
  "earnestMoneyDueDate",
  "finalWalkThroughDate",
  "possessionDate",
] as const;

export interface Deal {
  id: number;
  createdAt: string;
  updatedAt: string;
  name: string;
  description: string;
  status: "Active";
  stageId: number;
  enteredStageAt: string;
  peopleIds: number[];
  userIds: number[];
  fields: Record<string, number | string | null>;
  custom: Record<string, unknown>;
}

type DealInput = Partial<Pick<Deal, "name" | "description" | "stageId" | "peopleIds" | "userIds">> & {
  fields: Record<string, number | string | null>;
  custom: Record<string, unknown>;
};

function ids(v: unknown): number[] | null | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => num(x) !== undefined)) return null;
  return v.map((x) => Number(x));
}

function parseDeal(vs: VendorCtx, raw: Record<string, unknown>): DealInput | string {
  const input: DealInput = { fields: {}, custom: {} };
  if (raw["name"] !== undefined) input.name = str(raw["name"]) ?? "";
  if (raw["description"] !== undefined) input.description = String(raw["description"] ?? "");
  if (raw["stageId"] !== undefined) {
    const s = num(raw["stageId"]);
    if (s === undefined || !findStage(vs.store, s)) return `Invalid stageId: ${String(raw["stageId"])}`;
    input.stageId = s;
  }
  const people = ids(raw["peopleIds"]);
  if (people === null || people?.some((id) => !vs.store.get<Person>("person", id))) return "Invalid peopleIds.";
  if (people) input.peopleIds = people;
  const users = ids(raw["userIds"]);
  if (users === null || users?.some((id) => !vs.store.get<User>("user", id))) return "Invalid userIds.";
  if (users) input.userIds = users;
  for (const k of NUMBERS) {
    if (raw[k] === undefined) continue;
    const n = raw[k] === null ? null : num(raw[k]);
    if (n === undefined) return `${k} must be a number.`;
    input.fields[k] = n;
  }
  for (const k of DATES) if (raw[k] !== undefined) input.fields[k] = raw[k] === null ? null : String(raw[k]);
  for (const [k, v] of Object.entries(raw)) {
    if (!/^custom[A-Z0-9]/.test(k)) continue;
    if (vs.store.idsBy("dealCustomField", "name", k).length === 0) return `Invalid custom field: ${k}`;
    input.custom[k] = v;
  }
  return input;
}

/** The API view: stage and pipeline names, people and users as {id, name}, custom fields. */
export function dealView(vs: VendorCtx, d: Deal): Record<string, unknown> {
  const where = findStage(vs.store, d.stageId);
  const blanks = Object.fromEntries(vs.store.all<CustomField>("dealCustomField").map((f) => [f.name, null]));
  const name = (kind: string, id: number) => ({ id, name: vs.store.get<{ name: string }>(kind, id)?.name ?? "" });
  const { peopleIds, userIds, fields, custom, createdAt, updatedAt, ...rest } = d;
  // Published descriptions of deals disagree on the spelling of their timestamps (setting `dealTimestamps`).
  const stamps = vs.settings.dealTimestamps === "created" ? { created: createdAt, updated: updatedAt } : { createdAt, updatedAt };
  return {
    ...rest,
    ...stamps,
    stageName: where?.stage.name ?? null,
    pipelineId: where?.pipeline.id ?? null,
    pipelineName: where?.pipeline.name ?? null,
    ...Object.fromEntries([...NUMBERS, ...DATES].map((k) => [k, null])),
    ...fields,
    people: peopleIds.map((id) => name("person", id)),
    users: userIds.map((id) => name("user", id)),
    ...blanks,
    ...custom,
  };
}

export const dealRoutes = new Hono<VendorEnv>();

dealRoutes.post("/v1/deals", async (c) => {
  const vs = c.env.vs;
  const body = await readJson(c.req.raw);
  const o = body.ok ? asObject(body.value) : null;
  if (o === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  const input = parseDeal(vs, o);
  if (typeof input === "string") return json({ errorMessage: input }, 400);
  if (!input.name) return json({ errorMessage: "name is required." }, 400);
  if (input.stageId === undefined) return json({ errorMessage: "stageId is required." }, 400);
  const t = isoSeconds(vs.now());
  const deal: Deal = {
    id: vs.store.seq("deal", 201),
    createdAt: t,
    updatedAt: t,
    name: input.name,
    description: input.description ?? "",
    status: "Active",
    stageId: input.stageId,
    enteredStageAt: t,
    peopleIds: input.peopleIds ?? [],
    userIds: input.userIds ?? [],
    fields: input.fields,
    custom: input.custom,
  };
  vs.store.put("deal", deal.id, deal);
  fireFub(vs, "dealsCreated", [deal.id]);
  return json(dealView(vs, deal), 201);
});

dealRoutes.get("/v1/deals", (c) => {
  const vs = c.env.vs;
  const url = new URL(c.req.url);
  const q = url.searchParams;
  const list = listOf(vs.store, "deal", q, () =>
    sortBy(
      vs.store.all<Deal>("deal").filter((d) => {
        if (q.get("personId") && !d.peopleIds.includes(Number(q.get("personId")))) return false;
        if (q.get("userId") && !d.userIds.includes(Number(q.get("userId")))) return false;
        if (q.get("pipelineId") && findStage(vs.store, d.stageId)?.pipeline.id !== Number(q.get("pipelineId"))) return false;
        if (q.get("stageId") && d.stageId !== Number(q.get("stageId"))) return false;
        if (q.get("id") && !(q.get("id") ?? "").split(",").includes(String(d.id))) return false;
        return true;
      }),
      q.get("sort"),
    ),
  );
  const page = paginate(list, url, "deals", vs.origin, (d) => dealView(vs, d));
  return page.ok ? json(page.body) : json({ errorMessage: page.message }, 400);
});

dealRoutes.get("/v1/deals/:id{[0-9]+}", (c) => {
  const vs = c.env.vs;
  const d = vs.store.get<Deal>("deal", c.req.param("id"));
  return d ? json(dealView(vs, d)) : json({ errorMessage: "Deal not found." }, 404);
});

dealRoutes.put("/v1/deals/:id{[0-9]+}", async (c) => {
  const vs = c.env.vs;
  // The body is read before the deal: a deal read first and written after the await would undo
  // a change another client made while this body was arriving (a stage move, the transaction id).
  const body = await readJson(c.req.raw);
  const d = vs.store.get<Deal>("deal", c.req.param("id"));
  if (!d) return json({ errorMessage: "Deal not found." }, 404);
  const o = body.ok ? asObject(body.value) : null;
  if (o === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  const input = parseDeal(vs, o);
  if (typeof input === "string") return json({ errorMessage: input }, 400);
  if (input.name === "") return json({ errorMessage: "name cannot be empty." }, 400);
  const t = isoSeconds(vs.now());
  const next: Deal = {
    ...d,
    name: input.name ?? d.name,
    description: input.description ?? d.description,
    stageId: input.stageId ?? d.stageId,
    enteredStageAt: input.stageId !== undefined && input.stageId !== d.stageId ? t : d.enteredStageAt,
    peopleIds: input.peopleIds ?? d.peopleIds,
    userIds: input.userIds ?? d.userIds,
    fields: { ...d.fields, ...input.fields },
    custom: { ...d.custom, ...input.custom },
  };
  if (JSON.stringify(next) !== JSON.stringify(d)) {
    next.updatedAt = t;
    vs.store.put("deal", d.id, next);
    fireFub(vs, "dealsUpdated", [d.id]);
  }
  return json(dealView(vs, next));
});

dealRoutes.delete("/v1/deals/:id{[0-9]+}", (c) => {
  const vs = c.env.vs;
  if (!vs.store.get<Deal>("deal", c.req.param("id"))) return json({ errorMessage: "Deal not found." }, 404);
  vs.store.remove("deal", c.req.param("id"));
  fireFub(vs, "dealsDeleted", [Number(c.req.param("id"))]);
  return c.body(null, 204);
});

/** `triggerStage` / `mappedStage`: the brokerage renamed Under Contract / Active Client. */
function renamed(vs: VendorCtx, p: Pipeline): Pipeline {
  const names: Record<string, string> = {
    ...(breaks(vs.settings, "triggerStage") ? { "Under Contract": "Pending" } : {}),
    ...(breaks(vs.settings, "mappedStage") ? { "Active Client": "Active Buyer" } : {}),
  };
  return { ...p, stages: p.stages.map((s) => ({ ...s, name: names[s.name] ?? s.name })) };
}

dealRoutes.get("/v1/pipelines", (c) => {
  const vs = c.env.vs;
  const page = paginate(
    vs.store.all<Pipeline>("pipeline").map((p) => renamed(vs, p)),
    new URL(c.req.url),
    "pipelines",
    vs.origin,
  );
  return page.ok ? json(page.body) : json({ errorMessage: page.message }, 400);
});

dealRoutes.get("/v1/pipelines/:id{[0-9]+}", (c) => {
  const p = c.env.vs.store.get<Pipeline>("pipeline", c.req.param("id"));
  return p ? json(p) : json({ errorMessage: "Pipeline not found." }, 404);
});

dealRoutes.post("/v1/pipelines", async (c) => {
  const vs = c.env.vs;
  const body = await readJson(c.req.raw);
  const o = body.ok ? asObject(body.value) : null;
  const name = str(o?.["name"]);
  if (o === null || name === undefined) return json({ errorMessage: "name is required." }, 400);
  const stages = Array.isArray(o["stages"]) ? o["stages"].map((s) => asObject(s) ?? {}) : [];
  const pipeline: Pipeline = {
    id: vs.store.seq("pipeline"),
    name,
    description: str(o["description"]) ?? "",
    orderWeight: num(o["orderWeight"]) ?? 0,
    stages: stages.map((s, i) => ({
      id: vs.store.seq("pipelineStage"),
      name: str(s["name"]) ?? `Stage ${i + 1}`,
      description: str(s["description"]) ?? "",
      orderWeight: num(s["orderWeight"]) ?? (i + 1) * 100,
      closedStage: s["closedStage"] === true,
      color: str(s["color"]) ?? "#3A7BD5",
    })),
  };
  vs.store.put("pipeline", pipeline.id, pipeline);
  return json(pipeline, 201);
});

dealRoutes.get("/v1/stages", (c) => {
  const vs = c.env.vs;
  const page = paginate(vs.store.all<PersonStage>("personStage"), new URL(c.req.url), "stages", vs.origin);
  return page.ok ? json(page.body) : json({ errorMessage: page.message }, 400);
});
