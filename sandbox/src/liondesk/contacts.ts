/** LionDesk contacts (create, search by email, get, PATCH), leads and contact notes. */
import { Hono } from "hono";
import type { VendorEnv } from "../core/context";
import { asObject, json, num, readJson, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import { featherError } from "./errors";

const FIELDS = [
  "assigned_user_id",
  "first_name",
  "last_name",
  "email",
  "mobile_phone",
  "home_phone",
  "office_phone",
  "fax",
  "company",
  "birthday",
  "anniversary",
  "spouse_name",
  "spouse_email",
  "spouse_phone",
  "spouse_birthday",
  "tags",
  "hotness_id",
  "source_id",
];
const LEAD_FIELDS = [
  "contact_id",
  "source_id",
  "claimed_via",
  "text_body",
  "html_body",
  "mls_id",
  "listing_status",
  "listing_price",
  "street_address",
  "city",
  "state",
  "zipcode",
  "type",
];

type Contact = Record<string, unknown> & { id: number; email: string | null };

function pick(o: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => o[f] !== undefined).map((f) => [f, o[f]]));
}

export const contactRoutes = new Hono<VendorEnv>();

contactRoutes.post("/liondesk/contacts", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return featherError(400, "Invalid JSON");
  const t = isoSeconds(vs.now());
  const contact: Contact = { id: vs.store.seq("contact", 50_001), email: null, ...pick(o, FIELDS), created_at: t, modified_at: t };
  const email = str(contact.email)?.trim().toLowerCase();
  vs.store.put<Contact>("contact", contact.id, contact, { email: email ? [email] : [] });
  return json(contact, 201);
});

contactRoutes.get("/liondesk/contacts", (c) => {
  const vs = c.env.vs;
  const email = c.req.query("email")?.trim().toLowerCase();
  const limit = Math.min(100, num(c.req.query("$limit")) ?? 10);
  const skip = num(c.req.query("$skip")) ?? 0;
  const all = email
    ? vs.store.idsBy("contact", "email", email).flatMap((id) => vs.store.get<Contact>("contact", id) ?? [])
    : vs.store.all<Contact>("contact");
  return json({ total: all.length, limit, skip, data: all.slice(skip, skip + limit) });
});

contactRoutes.get("/liondesk/contacts/:id{[0-9]+}", (c) => {
  const contact = c.env.vs.store.get<Contact>("contact", c.req.param("id"));
  return contact ? json(contact) : featherError(404, `No record found for id '${c.req.param("id")}'`);
});

contactRoutes.patch("/liondesk/contacts/:id{[0-9]+}", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw); // before the record, so the write cannot undo a concurrent one
  const contact = vs.store.get<Contact>("contact", c.req.param("id"));
  if (!contact) return featherError(404, `No record found for id '${c.req.param("id")}'`);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return featherError(400, "Invalid JSON");
  const next: Contact = { ...contact, ...pick(o, FIELDS), modified_at: isoSeconds(vs.now()) };
  const email = str(next.email)?.trim().toLowerCase();
  vs.store.put<Contact>("contact", next.id, next, { email: email ? [email] : [] });
  return json(next);
});

contactRoutes.post("/liondesk/contacts/:id{[0-9]+}/notes", async (c) => {
  const vs = c.env.vs;
  const contact = vs.store.get<Contact>("contact", c.req.param("id"));
  if (!contact) return featherError(404, `No record found for id '${c.req.param("id")}'`);
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  const content = str(o?.["content"]) ?? str(o?.["note"]);
  if (content === undefined) return featherError(400, "content is required");
  const note = { id: vs.store.seq("note", 9_001), contact_id: contact.id, content, created_at: isoSeconds(vs.now()) };
  vs.store.put("note", note.id, note);
  return json(note, 201);
});

contactRoutes.get("/liondesk/contacts/:id{[0-9]+}/notes", (c) => {
  const notes = c.env.vs.store.all<{ contact_id: number }>("note").filter((n) => String(n.contact_id) === c.req.param("id"));
  return json({ total: notes.length, limit: notes.length, skip: 0, data: notes });
});

contactRoutes.post("/liondesk/leads", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return featherError(400, "Invalid JSON");
  if (o["contact_id"] !== undefined && !vs.store.get<Contact>("contact", String(o["contact_id"])))
    return featherError(400, "contact_id does not exist");
  const lead = { id: vs.store.seq("lead", 70_001), ...pick(o, LEAD_FIELDS), created_at: isoSeconds(vs.now()) };
  vs.store.put("lead", lead.id, lead);
  return json(lead, 201);
});
