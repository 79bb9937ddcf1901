/** FUB notes (`personId` required), custom field definitions, users and `/v1/me`. */
import { Hono } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { asObject, json, readJson, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import { putField } from "./data";
import { breaks } from "../state/settings";
import type { CustomField, User } from "./data";
import { fireFub } from "./hooks";
import { paginate, sortBy } from "./paginate";
import type { Person } from "./person";

export interface Note {
  id: number;
  created: string;
  updated: string;
  createdById: number;
  createdBy: string;
  updatedById: number;
  updatedBy: string;
  personId: number;
  subject: string;
  body: string;
  isHtml: boolean;
}

export const miscRoutes = new Hono<VendorEnv>();

function list(vs: VendorCtx, url: string, collection: string, items: unknown[]): Response {
  const page = paginate(items, new URL(url), collection, vs.origin);
  return page.ok ? json(page.body) : json({ errorMessage: page.message }, 400);
}

miscRoutes.post("/v1/notes", async (c) => {
  const vs = c.env.vs;
  const body = await readJson(c.req.raw);
  const o = body.ok ? asObject(body.value) : null;
  if (o === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  if (o["personId"] === undefined || o["personId"] === null) return json({ errorMessage: "personId is required." }, 400);
  const person = vs.store.get<Person>("person", String(o["personId"]));
  if (!person) return json({ errorMessage: `Person ${String(o["personId"])} not found.` }, 404);
  const owner = vs.store.get<User>("user", 1);
  const t = isoSeconds(vs.now());
  const note: Note = {
    id: vs.store.seq("note", 301),
    created: t,
    updated: t,
    createdById: owner?.id ?? 1,
    createdBy: owner?.name ?? "",
    updatedById: owner?.id ?? 1,
    updatedBy: owner?.name ?? "",
    personId: person.id,
    subject: str(o["subject"]) ?? "",
    body: str(o["body"]) ?? "",
    isHtml: o["isHtml"] === true,
  };
  vs.store.put("note", note.id, note);
  fireFub(vs, "notesCreated", [note.id]);
  return json(note, 201);
});

miscRoutes.get("/v1/notes", (c) => {
  const vs = c.env.vs;
  const personId = c.req.query("personId");
  const notes = vs.store.all<Note>("note").filter((n) => personId === undefined || String(n.personId) === personId);
  return list(vs, c.req.url, "notes", sortBy(notes, c.req.query("sort") ?? null));
});

miscRoutes.get("/v1/notes/:id{[0-9]+}", (c) => {
  const n = c.env.vs.store.get<Note>("note", c.req.param("id"));
  return n ? json(n) : json({ errorMessage: "Note not found." }, 404);
});

for (const [path, kind, collection] of [
  ["/v1/customFields", "customField", "customfields"],
  ["/v1/dealCustomFields", "dealCustomField", "dealCustomFields"],
] as const) {
  miscRoutes.get(path, (c) => {
    const vs = c.env.vs;
    // `transactionField`: the account has no Transaction ID deal field (never made, or deleted).
    const gone = kind === "dealCustomField" && breaks(vs.settings, "transactionField");
    // `mappedField`: the account lacks a deal field the brokerage's field mapping names.
    const unmade = kind === "dealCustomField" && breaks(vs.settings, "mappedField");
    const shown = vs.store
      .all<CustomField>(kind)
      .filter((f) => !(gone && f.label === "Transaction ID") && !(unmade && f.label === "Earnest Money"));
    return list(vs, c.req.url, collection, shown);
  });
  miscRoutes.post(path, async (c) => {
    const vs = c.env.vs;
    const body = await readJson(c.req.raw);
    const o = body.ok ? asObject(body.value) : null;
    const label = str(o?.["label"]);
    const type = o?.["type"];
    if (label === undefined) return json({ errorMessage: "label is required." }, 400);
    if (type !== "text" && type !== "date" && type !== "number" && type !== "dropdown") {
      return json({ errorMessage: "type must be text, date, number or dropdown." }, 400);
    }
    const choices = Array.isArray(o?.["choices"]) ? (o["choices"] as unknown[]).map(String) : [];
    return json(putField(vs.store, kind, { label, type, choices }), 201);
  });
}

miscRoutes.get("/v1/users", (c) => list(c.env.vs, c.req.url, "users", c.env.vs.store.all<User>("user")));

miscRoutes.get("/v1/users/:id{[0-9]+}", (c) => {
  const u = c.env.vs.store.get<User>("user", c.req.param("id"));
  return u ? json(u) : json({ errorMessage: "User not found." }, 404);
});

// The API key belongs to the account owner.
miscRoutes.get("/v1/me", (c) => json(c.env.vs.store.get<User>("user", 1) ?? {}));
