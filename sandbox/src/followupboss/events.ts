/**
 * FUB `POST /v1/events`, the lead intake: server-side dedupe (email, then phone, or `person.id`),
 * 201 new person / 200 existing person updated / 204 archived source / 404 unknown person.id.
 * The response body is the person. `Inquiry` becomes `Property Inquiry` with a property, else
 * `General Inquiry`.
 */
import { Hono } from "hono";
import type { VendorEnv } from "../core/context";
import { asObject, json, readJson, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import { EVENT_TYPES } from "./data";
import { fireFub } from "./hooks";
import { paginate, sortBy } from "./paginate";
import { createPerson, findDuplicate, knownCustom, parsePerson, personView, updatePerson } from "./person";
import type { Person } from "./person";
import { personFields } from "./people";

export interface FubEvent {
  id: number;
  created: string;
  updated: string;
  personId: number;
  source: string;
  system: string;
  type: string;
  message: string;
  description: string;
  occurredAt: string;
  property: Record<string, unknown> | null;
  propertySearch: Record<string, unknown> | null;
  campaign: Record<string, unknown> | null;
}

export const eventRoutes = new Hono<VendorEnv>();

/** Resolves the `Inquiry` shorthand. */
export function resolveType(type: string | undefined, hasProperty: boolean): string {
  if (type === undefined || type === "Inquiry") return hasProperty ? "Property Inquiry" : "General Inquiry";
  return type;
}

eventRoutes.post("/v1/events", async (c) => {
  const vs = c.env.vs;
  const body = await readJson(c.req.raw);
  const o = body.ok ? asObject(body.value) : null;
  if (o === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  const property = asObject(o["property"]);
  const type = resolveType(str(o["type"]), property !== null);
  if (!(EVENT_TYPES as readonly string[]).includes(type)) return json({ errorMessage: `Invalid event type: ${type}` }, 400);
  if (o["person"] === undefined) return json({ errorMessage: "person is required." }, 400);
  const parsed = parsePerson(o["person"]);
  if (!parsed.ok) return json({ errorMessage: parsed.message }, 400);
  const source = str(o["source"]) ?? parsed.value.source ?? "<unspecified>";
  const archived = vs.settings.archivedSources.map((s) => s.toLowerCase());
  if (archived.includes(source.toLowerCase())) return c.body(null, 204);

  // Unknown custom fields in a lead are dropped, never a reason to lose the lead.
  const input = { ...parsed.value, source, custom: knownCustom(vs.store, "customField", parsed.value.custom) };
  const now = vs.now();
  const personId = asObject(o["person"])?.["id"];
  let person: Person | undefined;
  if (personId !== undefined && personId !== null) {
    person = vs.store.get<Person>("person", String(personId));
    if (!person) return json({ errorMessage: `Person ${String(personId)} not found.` }, 404);
  } else {
    person = findDuplicate(vs.store, input.emails ?? [], input.phones ?? [])?.person;
  }
  const created = person === undefined;
  if (person === undefined) {
    person = createPerson(vs.store, input, now, "API");
  } else {
    person.lastActivity = isoSeconds(now);
    updatePerson(vs.store, person, input, now, true);
  }
  const event: FubEvent = {
    id: vs.store.seq("event", 5001),
    created: isoSeconds(now),
    updated: isoSeconds(now),
    personId: person.id,
    source,
    system: str(o["system"]) ?? c.req.header("x-system") ?? "",
    type,
    message: str(o["message"]) ?? "",
    description: str(o["description"]) ?? "",
    occurredAt: str(o["occurredAt"]) ?? isoSeconds(now),
    property,
    propertySearch: asObject(o["propertySearch"]),
    campaign: asObject(o["campaign"]),
  };
  vs.store.put("event", event.id, event, { person: [String(person.id)] });
  fireFub(vs, created ? "peopleCreated" : "peopleUpdated", [person.id]);
  fireFub(vs, "eventsCreated", [event.id]);
  return json(personView(person, true, personFields(vs.store)), created ? 201 : 200);
});

eventRoutes.get("/v1/events", (c) => {
  const vs = c.env.vs;
  const url = new URL(c.req.url);
  const personId = url.searchParams.get("personId");
  const list = vs.store.all<FubEvent>("event").filter((e) => personId === null || String(e.personId) === personId);
  const page = paginate(sortBy(list, url.searchParams.get("sort")), url, "events", vs.origin);
  return page.ok ? json(page.body) : json({ errorMessage: page.message }, 400);
});

eventRoutes.get("/v1/events/:id{[0-9]+}", (c) => {
  const e = c.env.vs.store.get<FubEvent>("event", c.req.param("id"));
  return e ? json(e) : json({ errorMessage: "Event not found." }, 404);
});
