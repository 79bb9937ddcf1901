/**
 * Loop details (label-keyed sections, string values, empty fields omitted; PATCH merges and
 * fires LOOP_UPDATED) and loop participants (documented roles; LOOP_PARTICIPANT_* events).
 */
import { Hono } from "hono";
import type { VendorEnv } from "../core/context";
import { asObject, json, readJson, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import { mergeDetails, ROLES } from "./data";
import type { Loop, Participant } from "./data";
import { dotloopError } from "./errors";
import { fireDotloop } from "./hooks";
import { loopOf } from "./loops";

export const participantRoutes = new Hono<VendorEnv>();

participantRoutes.get("/profile/:pid/loop/:lid/detail", (c) => {
  const loop = loopOf(c);
  return loop instanceof Response ? loop : json({ data: loop.details });
});

participantRoutes.patch("/profile/:pid/loop/:lid/detail", async (c) => {
  const vs = c.env.vs;
  // The body is read before the loop: a loop read first and written after the await would undo
  // a status change another client made while this body was arriving.
  const read = await readJson(c.req.raw);
  const loop = loopOf(c);
  if (loop instanceof Response) return loop;
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  const details = mergeDetails(loop.details, o);
  if (JSON.stringify(details) !== JSON.stringify(loop.details)) {
    vs.store.put<Loop>("loop", loop.id, { ...loop, details, updated: isoSeconds(vs.now()) });
    fireDotloop(vs, "LOOP_UPDATED", { profileId: loop.profileId, loopId: loop.id });
  }
  return json({ data: details });
});

const FIELDS = [
  "fullName",
  "email",
  "role",
  "phone",
  "company name",
  "street name",
  "street number",
  "unit number",
  "zip/postal code",
  "country",
  "city",
  "state/prov",
  "cell phone",
];

function participantFields(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(FIELDS.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, String(o[k])]));
}

function view(p: Participant): Record<string, unknown> {
  const { loopId: _l, ...rest } = p;
  return rest;
}

participantRoutes.get("/profile/:pid/loop/:lid/participant", (c) => {
  const loop = loopOf(c);
  if (loop instanceof Response) return loop;
  const list = c.env.vs.store.all<Participant>("participant").filter((p) => p.loopId === loop.id);
  return json({ meta: { total: list.length }, data: list.map(view) });
});

participantRoutes.post("/profile/:pid/loop/:lid/participant", async (c) => {
  const vs = c.env.vs;
  const loop = loopOf(c);
  if (loop instanceof Response) return loop;
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  if (str(o["fullName"]) === undefined) return dotloopError(422, "fullName is required", c.req.url);
  if (!(ROLES as readonly unknown[]).includes(o["role"])) return dotloopError(422, `Unknown role ${String(o["role"])}`, c.req.url);
  const id = vs.store.seq("participant", 2301);
  const p: Participant = { id, loopId: loop.id, fullName: "", role: "", ...participantFields(o) };
  vs.store.put<Participant>("participant", id, p);
  fireDotloop(vs, "LOOP_PARTICIPANT_CREATED", { profileId: loop.profileId, loopId: loop.id, id });
  return json({ data: view(p) }, 201);
});

function participantOf(c: Parameters<typeof loopOf>[0], loop: Loop): Participant | Response {
  const p = c.env.vs.store.get<Participant>("participant", c.req.param("id") ?? "");
  return p && p.loopId === loop.id ? p : dotloopError(404, "Participant not found", c.req.url);
}

participantRoutes.get("/profile/:pid/loop/:lid/participant/:id", (c) => {
  const loop = loopOf(c);
  if (loop instanceof Response) return loop;
  const p = participantOf(c, loop);
  return p instanceof Response ? p : json({ data: view(p) });
});

participantRoutes.patch("/profile/:pid/loop/:lid/participant/:id", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw); // before the records, as for the details
  const loop = loopOf(c);
  if (loop instanceof Response) return loop;
  const p = participantOf(c, loop);
  if (p instanceof Response) return p;
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  if (o["role"] !== undefined && !(ROLES as readonly unknown[]).includes(o["role"])) {
    return dotloopError(422, `Unknown role ${String(o["role"])}`, c.req.url);
  }
  const next: Participant = { ...p, ...participantFields(o) };
  vs.store.put<Participant>("participant", p.id, next);
  fireDotloop(vs, "LOOP_PARTICIPANT_UPDATED", { profileId: loop.profileId, loopId: loop.id, id: p.id });
  return json({ data: view(next) });
});

participantRoutes.delete("/profile/:pid/loop/:lid/participant/:id", (c) => {
  const vs = c.env.vs;
  const loop = loopOf(c);
  if (loop instanceof Response) return loop;
  const p = participantOf(c, loop);
  if (p instanceof Response) return p;
  vs.store.remove("participant", p.id);
  fireDotloop(vs, "LOOP_PARTICIPANT_DELETED", { profileId: loop.profileId, loopId: loop.id, id: p.id });
  return c.body(null, 204);
});
