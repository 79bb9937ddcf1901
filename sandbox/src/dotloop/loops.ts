/**
 * Dotloop loops: list (batch_number / batch_size ≤ 50, `filter`, `sort`, `include_details`),
 * get, create, patch (status must be allowed for the transaction type), and the Loop-It facade.
 * Creating fires LOOP_CREATED; changing a loop's status, name, type or details fires LOOP_UPDATED.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { asObject, json, readJson, str } from "../lib/http";
import { isoSeconds, parseTime } from "../lib/time";
import { DEFAULT_PROFILE_ID, ROLES, STATUSES } from "./data";
import type { Loop, Participant, Profile } from "./data";
import { dotloopError } from "./errors";
import { fireDotloop } from "./hooks";

type C = Context<VendorEnv>;

/** The API view of a loop (details only on request). */
export function loopView(l: Loop, details = false): Record<string, unknown> {
  const { details: d, ...rest } = l;
  return details ? { ...rest, details: d } : rest;
}

/** The profile of the path, or an error response. Loops live under INDIVIDUAL profiles. */
export function profileOf(c: C, pid: string | undefined): Profile | Response {
  const p = pid === undefined ? undefined : c.env.vs.store.get<Profile>("profile", pid);
  if (!p) return dotloopError(404, "Profile not found", c.req.url);
  return p;
}

/** The loop of the path, or an error response. */
export function loopOf(c: C): Loop | Response {
  const l = c.env.vs.store.get<Loop>("loop", c.req.param("lid") ?? "");
  if (!l || String(l.profileId) !== c.req.param("pid")) return dotloopError(404, "Loop not found", c.req.url);
  return l;
}

function checkStatus(type: string, status: string): string | null {
  const allowed = STATUSES[type];
  if (!allowed) return `Unknown transactionType ${type}`;
  return allowed.includes(status) ? null : `Status ${status} is not allowed for ${type}; allowed: ${allowed.join(", ")}`;
}

function createLoop(vs: VendorCtx, profile: Profile, o: Record<string, unknown>): Loop | string {
  const name = str(o["name"]);
  if (name === undefined) return "name is required";
  const type = str(o["transactionType"]) ?? "PURCHASE_OFFER";
  const status = str(o["status"]) ?? STATUSES[type]?.[0] ?? "";
  const bad = checkStatus(type, status);
  if (bad !== null) return bad;
  if (profile.requiresTemplate && o["templateId"] === undefined) return "This profile requires a templateId";
  const id = vs.store.seq("loop", 34301);
  const t = isoSeconds(vs.now());
  const loop: Loop = {
    id,
    profileId: profile.id,
    name,
    status,
    transactionType: type,
    totalTaskCount: 0,
    completedTaskCount: 0,
    created: t,
    updated: t,
    loopUrl: `https://www.dotloop.com/m/loop?viewId=${id}`,
    details: {},
  };
  vs.store.put<Loop>("loop", id, loop);
  return loop;
}

/** Parses `filter=updated_min=..,transaction_type=A|B` into predicates. */
function filterOf(raw: string | undefined, exclusive: boolean): (l: Loop) => boolean {
  const tests: Array<(l: Loop) => boolean> = [];
  for (const part of (raw ?? "").split(",")) {
    const [key, value = ""] = part.split("=");
    const values = value.split("|");
    const t = parseTime(value);
    if (key === "updated_min" && t !== undefined)
      tests.push((l) => Date.parse(l.updated) > t || (!exclusive && Date.parse(l.updated) === t));
    if (key === "created_min" && t !== undefined) tests.push((l) => Date.parse(l.created) >= t);
    if (key === "transaction_type") tests.push((l) => values.includes(l.transactionType));
    if (key === "transaction_status") tests.push((l) => values.includes(l.status));
  }
  return (l) => tests.every((f) => f(l));
}

const SORT_KEYS: Record<string, (l: Loop) => string | number> = {
  default: (l) => l.id,
  created: (l) => l.created,
  updated: (l) => l.updated,
  address: (l) => l.name,
  purchase_price: (l) => Number(l.details["Financials"]?.["Purchase/Sale Price"] ?? 0),
  closing_date: (l) => l.details["Contract Dates"]?.["Closing Date"] ?? "",
  listing_date: (l) => l.details["Listing Information"]?.["Listing Date"] ?? "",
  expiration_date: (l) => l.details["Listing Information"]?.["Expiration Date"] ?? "",
  review_submission_date: (l) => l.updated,
};

export const loopRoutes = new Hono<VendorEnv>();

loopRoutes.get("/profile/:pid/loop", (c) => {
  const profile = profileOf(c, c.req.param("pid"));
  if (profile instanceof Response) return profile;
  const batchSize = Number(c.req.query("batch_size") ?? 20);
  const batchNumber = Number(c.req.query("batch_number") ?? 1);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50)
    return dotloopError(400, "batch_size must be between 1 and 50", c.req.url);
  if (!Number.isInteger(batchNumber) || batchNumber < 1) return dotloopError(400, "batch_number must be 1 or more", c.req.url);
  const [sortKey = "default", dir = "asc"] = (c.req.query("sort") ?? "default:asc").split(":");
  const key = SORT_KEYS[sortKey];
  if (!key) return dotloopError(400, `Unknown sort key ${sortKey}`, c.req.url);
  const loops = c.env.vs.store
    .all<Loop>("loop")
    .filter((l) => l.profileId === profile.id)
    .filter(filterOf(c.req.query("filter"), c.env.vs.settings.dotloopUpdatedMin === "exclusive"));
  loops.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const r = x < y ? -1 : x > y ? 1 : a.id - b.id;
    return dir === "desc" ? -r : r;
  });
  const page = loops.slice((batchNumber - 1) * batchSize, batchNumber * batchSize);
  const details = c.req.query("include_details") === "true";
  const total = c.env.vs.settings.dotloopLoopTotal === "zero" ? 0 : loops.length;
  const answer = json({ meta: { total }, data: page.map((l) => loopView(l, details)) });
  const edited = c.env.vs.settings.dotloopEditWhilePaging ? page[0] : undefined;
  if (edited) c.env.vs.store.put<Loop>("loop", edited.id, { ...edited, updated: isoSeconds(c.env.vs.now()) });
  return answer;
});

loopRoutes.post("/profile/:pid/loop", async (c) => {
  const vs = c.env.vs;
  const profile = profileOf(c, c.req.param("pid"));
  if (profile instanceof Response) return profile;
  if (profile.type !== "INDIVIDUAL") return dotloopError(403, "Loops can only be created in an individual profile", c.req.url);
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  const loop = createLoop(vs, profile, o);
  if (typeof loop === "string") return dotloopError(422, loop, c.req.url);
  fireDotloop(vs, "LOOP_CREATED", { profileId: profile.id, loopId: loop.id });
  return json({ data: loopView(loop) }, 201);
});

loopRoutes.get("/profile/:pid/loop/:lid", (c) => {
  const loop = loopOf(c);
  return loop instanceof Response ? loop : json({ data: loopView(loop) });
});

loopRoutes.patch("/profile/:pid/loop/:lid", async (c) => {
  const vs = c.env.vs;
  // The body is read before the loop, so the write cannot undo a details change made meanwhile.
  const read = await readJson(c.req.raw);
  const loop = loopOf(c);
  if (loop instanceof Response) return loop;
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  const type = str(o["transactionType"]) ?? loop.transactionType;
  const status = str(o["status"]) ?? loop.status;
  const bad = checkStatus(type, status);
  if (bad !== null) return dotloopError(422, bad, c.req.url);
  const next: Loop = { ...loop, name: str(o["name"]) ?? loop.name, transactionType: type, status };
  if (JSON.stringify(next) !== JSON.stringify(loop)) {
    next.updated = isoSeconds(vs.now());
    vs.store.put<Loop>("loop", loop.id, next);
    fireDotloop(vs, "LOOP_UPDATED", { profileId: loop.profileId, loopId: loop.id });
  }
  return json({ data: loopView(next) });
});

loopRoutes.post("/loop-it", async (c) => {
  const vs = c.env.vs;
  const pid = c.req.query("profile_id") ?? String(DEFAULT_PROFILE_ID);
  const profile = profileOf(c, pid);
  if (profile instanceof Response) return profile;
  if (profile.type !== "INDIVIDUAL") return dotloopError(403, "Loops can only be created in an individual profile", c.req.url);
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  const people = Array.isArray(o["participants"]) ? o["participants"].map((p) => asObject(p) ?? {}) : [];
  const badRole = people.find((p) => !(ROLES as readonly unknown[]).includes(p["role"]));
  if (badRole) return dotloopError(422, `Unknown participant role ${String(badRole["role"])}`, c.req.url);
  const loop = createLoop(vs, profile, o);
  if (typeof loop === "string") return dotloopError(422, loop, c.req.url);
  const address: Record<string, string | undefined> = {
    "Street Number": str(o["streetNumber"]),
    "Street Name": str(o["streetName"]),
    "Unit Number": str(o["unit"]),
    City: str(o["city"]),
    "State/Prov": str(o["state"]),
    "Zip/Postal Code": str(o["zipCode"]),
    County: str(o["county"]),
    Country: str(o["country"]),
    "MLS Number": str(o["mlsPropertyId"]) ?? str(o["mlsId"]),
  };
  const filled = Object.fromEntries(Object.entries(address).filter((e): e is [string, string] => e[1] !== undefined));
  if (Object.keys(filled).length > 0) loop.details = { "Property Address": filled };
  vs.store.put<Loop>("loop", loop.id, loop);
  for (const p of people) {
    const id = vs.store.seq("participant", 2301);
    vs.store.put<Participant>("participant", id, {
      id,
      loopId: loop.id,
      fullName: str(p["fullName"]) ?? "",
      email: str(p["email"]),
      role: String(p["role"]),
    });
  }
  fireDotloop(vs, "LOOP_CREATED", { profileId: profile.id, loopId: loop.id });
  return json({ data: loopView(loop) }, 201);
});
