/**
 * The MLS's control API (`/_sandbox/reso/...`, never faulted): seed a feed of N listings, change
 * listings over time (Active → Pending → Closed, a price change, a delete), push RESO EntityEvent
 * webhooks (RCP-028 bodies, single or batch), read the request log and peek at listings.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { VendorCtx, VendorEnv } from "../core/context";
import { json, readJson } from "../lib/http";
import { STANDARD_LADDER_MS } from "../leads";
import { STANDARD_STATUS } from "./metadata";
import { clearAll, countRecords, getRecord, iso, newestMod, putRecord, removeRecord, seedFeed, type ResoRecord } from "./data";

type Row = Record<string, SqlStorageValue>;
const sqlOf = (vs: VendorCtx) => vs.store.sqlStorage;
const ENTITY_EVENT_CONTEXT = "urn:reso:metadata:2.0:resource:entityevent";

const SeedBody = z.strictObject({
  count: z.number().int().min(0).max(200_000),
  seed: z.number().int().min(0).max(0x7fffffff).optional(),
  /** Adds listings after the ones already seeded (a large feed is seeded in a few calls). */
  append: z.boolean().default(false),
});

const ChangeBody = z
  .strictObject({
    action: z.enum(["status", "price", "delete", "rename"]),
    /**
     * Listings change status and price; a member or office is renamed (a new last name, a new
     * office name) or changes status.
     */
    resource: z.enum(["Property", "Member", "Office"]).default("Property"),
    keys: z.array(z.string().min(1)).max(10_000).optional(),
    count: z.number().int().min(1).max(10_000).optional(),
    /** Also push an EntityEvent for each change: one delivery each, or one batch. */
    push: z.enum(["single", "batch"]).optional(),
    /**
     * The StandardStatus a `status` change sets (RESO Data Dictionary 2.0 lookups; for a member or
     * office, its MemberStatus or OfficeStatus), instead of the
     * next on the Active → Pending → Closed ladder: `Delete` is a listing contract nullified. Any
     * other value plays a feed that puts a local status where the Data Dictionary's lookup is
     * closed, a record a client cannot read as a listing; a number, a status that is not text.
     */
    to: z.union([z.enum(STANDARD_STATUS), z.string().min(1).max(50), z.number()]).optional(),
    /**
     * Stamp every record changed with exactly this ModificationTimestamp, as a server that stamps
     * to the second does for changes within one second (default: each a millisecond apart, newest).
     */
    at: z.string().datetime().optional(),
  })
  .refine((b) => (b.resource === "Property" ? b.action !== "rename" : b.action === "rename" || b.action === "status"), {
    message: "rename applies to Member and Office; price and delete to Property; status to each",
    path: ["action"],
  })
  .refine((b) => b.to === undefined || b.action === "status", { message: "to applies to a status change", path: ["to"] });

const PushBody = z.strictObject({
  keys: z.array(z.string().min(1)).min(1).max(1000),
  resource: z.enum(["Property", "Member", "Office"]).default("Property"),
  batch: z.boolean().default(false),
});

function invalid(error: z.ZodError): Response {
  return json({ error: "invalid_request", issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }, 400);
}

const NEXT_STATUS: Record<string, string> = { Active: "Pending", ComingSoon: "Active", ActiveUnderContract: "Pending", Pending: "Closed" };

function applyChange(rec: ResoRecord, action: "status" | "price", at: number, to?: string | number): ResoRecord {
  const out: ResoRecord = { ...rec, ModificationTimestamp: iso(at) };
  if (action === "price") {
    const price = Number(rec["ListPrice"]);
    out["ListPrice"] = Math.max(1000, Math.round((price * 0.97) / 1000) * 1000);
    out["PriceChangeTimestamp"] = iso(at);
    return out;
  }
  const next = to ?? NEXT_STATUS[String(rec["StandardStatus"])] ?? "Closed";
  out["StandardStatus"] = next;
  out["MlsStatus"] = next;
  out["StatusChangeTimestamp"] = iso(at);
  if (next === "Closed") {
    out["ClosePrice"] = rec["ListPrice"] ?? null;
    out["CloseDate"] = iso(at).slice(0, 10);
  }
  return out;
}

/** Queues EntityEvent webhooks for the given records, as RESO's webhook push proposal shapes them. */
function push(vs: VendorCtx, resource: string, keys: string[], batch: boolean): Array<{ ids: string[]; sequence: number[] }> {
  const events = keys.map((k) => ({
    EntityEventSequence: vs.store.seq("entityEvent", 1000),
    ResourceName: resource,
    ResourceRecordKey: k,
  }));
  const bodies = batch
    ? [{ "@reso.context": ENTITY_EVENT_CONTEXT, value: events }]
    : events.map((e) => ({ "@reso.context": ENTITY_EVENT_CONTEXT, ...e }));
  return bodies.map((body) => {
    const seqs = "value" in body ? body.value.map((e) => e.EntityEventSequence) : [body.EntityEventSequence];
    const q = vs.emit({
      source: "reso",
      url: null,
      body,
      sign: { scheme: "standard-webhooks", secret: vs.env.WEBHOOK_SECRET_RESO, msgId: `ee_${seqs.join("_")}` },
      ladderMs: STANDARD_LADDER_MS,
    });
    return { ids: q.ids, sequence: seqs };
  });
}

export const controlRoutes = new Hono<VendorEnv>();

controlRoutes.post("/_sandbox/reso/seed", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const parsed = SeedBody.safeParse(read.ok ? read.value : undefined);
  if (!parsed.success) return invalid(parsed.error);
  const seed = parsed.data.seed ?? Number(vs.store.getMeta<number>("seed") ?? 42);
  const from = parsed.data.append ? countRecords(sqlOf(vs), "Property") : 0;
  if (!parsed.data.append) clearAll(sqlOf(vs));
  seedFeed(sqlOf(vs), seed, parsed.data.count, from);
  return json({ seed, added: parsed.data.count, listings: countRecords(sqlOf(vs), "Property") });
});

/** A renamed member (new last name) or office (new name), stamped `at`. */
function rename(rec: ResoRecord, resource: "Member" | "Office", at: number): ResoRecord {
  const out: ResoRecord = { ...rec, ModificationTimestamp: iso(at) };
  if (resource === "Office") {
    out["OfficeName"] = `${String(rec["OfficeName"])} Group`;
    return out;
  }
  out["MemberLastName"] = `${String(rec["MemberLastName"])}-Reyes`;
  out["MemberFullName"] = `${String(rec["MemberFirstName"])} ${String(out["MemberLastName"])}`;
  return out;
}

controlRoutes.post("/_sandbox/reso/change", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const parsed = ChangeBody.safeParse(read.ok ? read.value : undefined);
  if (!parsed.success) return invalid(parsed.error);
  const { action, keys, count, push: mode, resource, at: stampedAt, to } = parsed.data;
  const sql = sqlOf(vs);
  if (resource !== "Property") {
    const found = keys
      ? keys.map((k) => getRecord(sql, resource, k)).filter((r): r is ResoRecord => r !== undefined)
      : sql
          .exec<Row>("SELECT data FROM reso_records WHERE resource = ? ORDER BY key LIMIT ?", resource, count ?? 1)
          .toArray()
          .map((r) => JSON.parse(String(r["data"])) as ResoRecord);
    let stamp = Math.max(vs.now(), newestMod(sql) + 1);
    // A status change of a member or office sets MemberStatus or OfficeStatus (`to`, else Inactive).
    const renamed = found.map((rec) => {
      const at = stampedAt ? Date.parse(stampedAt) : stamp++;
      if (action !== "status") return rename(rec, resource, at);
      return { ...rec, ModificationTimestamp: iso(at), [`${resource}Status`]: to ?? "Inactive" };
    });
    for (const rec of renamed) putRecord(sql, resource, rec);
    const pushed = mode
      ? push(
          vs,
          resource,
          renamed.map((r) => String(r[resource === "Member" ? "MemberKey" : "OfficeKey"])),
          mode === "batch",
        )
      : [];
    return json({ action, resource, changed: renamed, pushed });
  }
  let targets: ResoRecord[];
  if (keys) {
    targets = keys.map((k) => getRecord(sql, "Property", k)).filter((r): r is ResoRecord => r !== undefined);
  } else {
    const open = action === "status" ? ` AND json_extract(data, '$.StandardStatus') != 'Closed'` : "";
    targets = sql
      .exec<Row>(`SELECT data FROM reso_records WHERE resource = 'Property'${open} ORDER BY key LIMIT ?`, count ?? 1)
      .toArray()
      .map((r) => JSON.parse(String(r["data"])) as ResoRecord);
  }
  let at = stampedAt ? Date.parse(stampedAt) : Math.max(vs.now(), newestMod(sql) + 1);
  const changed: ResoRecord[] = [];
  for (const rec of targets) {
    if (action !== "status" && action !== "price") {
      // A delete (a rename of a listing is refused above).
      if (removeRecord(sql, "Property", String(rec["ListingKey"]))) changed.push(rec);
      continue;
    }
    const next = applyChange(rec, action, stampedAt ? at : at++, to);
    putRecord(sql, "Property", next);
    changed.push(next);
  }
  const pushed = mode
    ? push(
        vs,
        "Property",
        changed.map((r) => String(r["ListingKey"])),
        mode === "batch",
      )
    : [];
  return json({ action, changed, pushed });
});

controlRoutes.post("/_sandbox/reso/push", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const parsed = PushBody.safeParse(read.ok ? read.value : undefined);
  if (!parsed.success) return invalid(parsed.error);
  return json({ pushed: push(vs, parsed.data.resource, parsed.data.keys, parsed.data.batch) });
});

controlRoutes.get("/_sandbox/reso/requests", (c) => {
  const since = Number(c.req.query("since") ?? 0) || 0;
  const rows = sqlOf(c.env.vs)
    .exec<Row>("SELECT seq, at, method, url, status FROM reso_requests WHERE seq > ? ORDER BY seq", since)
    .toArray();
  return json({ requests: rows });
});

controlRoutes.get("/_sandbox/reso/listings", (c) => {
  const limit = Math.min(1000, Number(c.req.query("limit") ?? 10) || 10);
  const rows = sqlOf(c.env.vs)
    .exec<Row>("SELECT data FROM reso_records WHERE resource = 'Property' ORDER BY mod_ms, key LIMIT ?", limit)
    .toArray()
    .map((r) => JSON.parse(String(r["data"])) as unknown);
  return json({ total: countRecords(sqlOf(c.env.vs), "Property"), listings: rows });
});
