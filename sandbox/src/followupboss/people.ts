/** FUB `/v1/people`: list with filters, get, checkDuplicate, create (optionally deduplicated), PUT, DELETE. */
import { Hono } from "hono";
import type { VendorEnv } from "../core/context";
import { asObject, json, readJson } from "../lib/http";
import { parseTime } from "../lib/time";
import type { Store } from "../state/store";
import type { CustomField } from "./data";
import { fireFub } from "./hooks";
import { listOf, paginate, sortBy } from "./paginate";
import { createPerson, emailKey, findDuplicate, parsePerson, personView, phoneKey, unknownCustomFields, updatePerson } from "./person";
import type { Person } from "./person";

export const peopleRoutes = new Hono<VendorEnv>();

/** Custom field definitions, for `fields=allFields` views. */
export function personFields(store: Store): CustomField[] {
  return store.all<CustomField>("customField");
}

function matches(p: Person, q: URLSearchParams): boolean {
  const has = (k: string) => q.get(k) !== null && q.get(k) !== "";
  const v = (k: string) => q.get(k) ?? "";
  if (
    has("id") &&
    !v("id")
      .split(",")
      .map((s) => s.trim())
      .includes(String(p.id))
  )
    return false;
  if (has("email") && !p.emails.some((e) => emailKey(e.value) === emailKey(v("email")))) return false;
  if (has("phone")) {
    const key = phoneKey(v("phone"));
    if (key === null || !p.phones.some((x) => phoneKey(x.value) === key)) return false;
  }
  if (has("name") && !p.name.toLowerCase().includes(v("name").toLowerCase())) return false;
  if (has("firstName") && p.firstName.toLowerCase() !== v("firstName").toLowerCase()) return false;
  if (has("lastName") && p.lastName.toLowerCase() !== v("lastName").toLowerCase()) return false;
  if (has("stage") && p.stage !== v("stage")) return false;
  if (has("source") && p.source !== v("source")) return false;
  if (has("assignedUserId") && String(p.assignedUserId) !== v("assignedUserId")) return false;
  if (has("assignedTo") && p.assignedTo !== v("assignedTo")) return false;
  if (
    has("tags") &&
    !v("tags")
      .split(",")
      .some((t) => p.tags.includes(t.trim()))
  )
    return false;
  if (has("priceAbove") && !(p.price > Number(v("priceAbove")))) return false;
  if (has("priceBelow") && !(p.price < Number(v("priceBelow")))) return false;
  const after = parseTime(q.get("lastActivityAfter"));
  if (after !== undefined && Date.parse(p.lastActivity) <= after) return false;
  const before = parseTime(q.get("lastActivityBefore"));
  if (before !== undefined && Date.parse(p.lastActivity) >= before) return false;
  if (q.get("includeTrash") !== "true" && p.stage === "Trash") return false;
  for (const [k, val] of q) if (/^custom[A-Z0-9]/.test(k) && String(p.custom[k] ?? "") !== val) return false;
  return true;
}

peopleRoutes.get("/v1/people", (c) => {
  const vs = c.env.vs;
  const url = new URL(c.req.url);
  const all = url.searchParams.get("fields") === "allFields";
  const fields = personFields(vs.store);
  // FUB's `updatedAfter` is reported to silently match nothing (`total: 0`); so it does here, and
  // nothing in the hub can come to rely on it.
  const ignored = url.searchParams.has("updatedAfter");
  const list = ignored
    ? []
    : listOf(vs.store, "person", url.searchParams, () =>
        sortBy(
          vs.store.all<Person>("person").filter((p) => matches(p, url.searchParams)),
          url.searchParams.get("sort"),
        ),
      );
  const page = paginate(list, url, "people", vs.origin, (p) => personView(p, all, fields));
  return page.ok ? json(page.body) : json({ errorMessage: page.message }, 400);
});

peopleRoutes.get("/v1/people/checkDuplicate", (c) => {
  const vs = c.env.vs;
  const email = c.req.query("email");
  const phone = c.req.query("phone");
  if (!email && !phone) return json({ errorMessage: "Provide email or phone." }, 400);
  const dup = findDuplicate(vs.store, email ? [email] : [], phone ? [phone] : []);
  if (!dup) return json({ exists: false, id: null, matchedBy: null, assignedTo: null, assignedUserId: null });
  const p = dup.person;
  return json({ exists: true, id: p.id, matchedBy: dup.by, assignedTo: p.assignedTo, assignedUserId: p.assignedUserId });
});

peopleRoutes.get("/v1/people/:id{[0-9]+}", (c) => {
  const vs = c.env.vs;
  const p = vs.store.get<Person>("person", c.req.param("id"));
  if (!p) return json({ errorMessage: "Person not found." }, 404);
  return json(personView(p, c.req.query("fields") === "allFields", personFields(vs.store)));
});

peopleRoutes.post("/v1/people", async (c) => {
  const vs = c.env.vs;
  const body = await readJson(c.req.raw);
  if (!body.ok || asObject(body.value) === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  const parsed = parsePerson(body.value);
  if (!parsed.ok) return json({ errorMessage: parsed.message }, 400);
  const unknown = unknownCustomFields(vs.store, "customField", parsed.value.custom);
  if (unknown.length > 0) return json({ errorMessage: `Invalid custom fields: ${unknown.join(", ")}` }, 400);
  if (c.req.query("deduplicate") === "true") {
    const dup = findDuplicate(vs.store, parsed.value.emails ?? [], parsed.value.phones ?? []);
    if (dup) return json(personView(dup.person, true, personFields(vs.store)), 200);
  }
  const p = createPerson(vs.store, parsed.value, vs.now(), "API");
  fireFub(vs, "peopleCreated", [p.id]);
  return json(personView(p, true, personFields(vs.store)), 201);
});

peopleRoutes.put("/v1/people/:id{[0-9]+}", async (c) => {
  const vs = c.env.vs;
  const p = vs.store.get<Person>("person", c.req.param("id"));
  if (!p) return json({ errorMessage: "Person not found." }, 404);
  const body = await readJson(c.req.raw);
  if (!body.ok || asObject(body.value) === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  const parsed = parsePerson(body.value);
  if (!parsed.ok) return json({ errorMessage: parsed.message }, 400);
  const unknown = unknownCustomFields(vs.store, "customField", parsed.value.custom);
  if (unknown.length > 0) return json({ errorMessage: `Invalid custom fields: ${unknown.join(", ")}` }, 400);
  // source and sourceUrl can only be set when the person is created.
  const { source: _s, sourceUrl: _u, ...input } = parsed.value;
  const oldStage = p.stage;
  if (updatePerson(vs.store, p, input, vs.now(), false)) {
    fireFub(vs, "peopleUpdated", [p.id]);
    if (p.stage !== oldStage) fireFub(vs, "peopleStageUpdated", [p.id]);
  }
  return json(personView(p, true, personFields(vs.store)));
});

// Published: https://docs.followupboss.com/reference/people-id-delete answers 200 with `{}`.
peopleRoutes.delete("/v1/people/:id{[0-9]+}", (c) => {
  const vs = c.env.vs;
  if (!vs.store.get<Person>("person", c.req.param("id"))) return json({ errorMessage: "Person not found." }, 404);
  vs.store.remove("person", c.req.param("id"));
  fireFub(vs, "peopleDeleted", [Number(c.req.param("id"))]);
  return json({});
});
