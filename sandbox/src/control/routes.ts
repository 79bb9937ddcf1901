/**
 * The control and inspection API (`/_sandbox/...`): reset, records, counters, settings, clock,
 * the webhook outbox, and the emitters (leads, DocuSign). Each call is forwarded to the vendor's
 * Durable Object.
 */
import { Hono } from "hono";
import { isVendorName, VENDOR_NAMES } from "../core/context";
import type { VendorName } from "../core/context";
import type { OutboxEntry } from "../core/outbox";
import { asObject, json, num, readJson } from "../lib/http";
import { forward } from "../forward";
import { seedBackfill } from "../seed/backfill";

type ControlEnv = { Bindings: SandboxEnv };

function stub(env: SandboxEnv, vendor: VendorName): DurableObjectStub<import("../state/vendor-state").VendorState> {
  return env.VENDOR_STATE.getByName(vendor);
}

async function allOutbox(env: SandboxEnv, drain: boolean, source: string | undefined): Promise<OutboxEntry[]> {
  const lists = await Promise.all(
    VENDOR_NAMES.map((v) => (drain ? stub(env, v).drainOutbox(v, source) : stub(env, v).listOutbox(v, source))),
  );
  return lists.flat().sort((a, b) => a.orderKey - b.orderKey);
}

export const control = new Hono<ControlEnv>();

control.get("/_sandbox", (c) =>
  c.json({
    vendors: VENDOR_NAMES,
    endpoints: [
      "POST /_sandbox/reset {seed?}",
      "GET /_sandbox/outbox[?source=]",
      "POST /_sandbox/outbox/drain[?source=]",
      "POST /_sandbox/leads {source, count?, repeatRate?, seed?}",
      "POST /_sandbox/docusign/envelope-completed {envelopeId?, signerEmail, signerName?, subject}",
      "GET /_sandbox/:vendor/records",
      "GET /_sandbox/:vendor/counters",
      "GET /_sandbox/:vendor/requests",
      "POST /_sandbox/seed/backfill {seed?, people, deals, transactions, customers, truth?}",
      "GET|PUT /_sandbox/:vendor/settings",
      "POST /_sandbox/:vendor/clock {advanceMs}",
      "POST /_sandbox/reso/seed {count, seed?, append?} · /change {action, keys?|count?, push?} · /push {keys, batch?}; GET /_sandbox/reso/requests[?since=] · /listings[?limit=]",
    ],
  }),
);

control.post("/_sandbox/reset", async (c) => {
  const read = await readJson(c.req.raw);
  const seedIn = read.ok ? num(asObject(read.value)?.["seed"]) : undefined;
  const seed = seedIn ?? (Number(c.env.SANDBOX_SEED) || 42);
  await Promise.all(VENDOR_NAMES.map((v) => stub(c.env, v).reset(v, seed)));
  return c.json({ ok: true, seed });
});

control.get("/_sandbox/outbox", async (c) => c.json(await allOutbox(c.env, false, c.req.query("source"))));
control.post("/_sandbox/outbox/drain", async (c) => c.json(await allOutbox(c.env, true, c.req.query("source"))));

control.post("/_sandbox/leads", (c) => forward(c.env, "leads", c.req.raw));
control.post("/_sandbox/docusign/*", (c) => forward(c.env, "docusign", c.req.raw));

/** Seeds a brokerage's existing records in the CRM, the TMS and accounting, with their ground truth. */
control.post("/_sandbox/seed/backfill", async (c) => {
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  const size = (k: string, max: number) => Math.max(0, Math.min(max, Math.trunc(num(o?.[k]) ?? 0)));
  const sizes = {
    people: size("people", 50_000),
    deals: size("deals", 20_000),
    transactions: size("transactions", 10_000),
    customers: size("customers", 10_000),
  };
  if (sizes.people === 0) return json({ error: "people (a positive number) is required" }, 400);
  const seed = Math.trunc(num(o?.["seed"]) ?? 7);
  const now = Date.now();
  const counts = Object.fromEntries(
    await Promise.all(
      (["followupboss", "dotloop", "quickbooks"] as const).map(
        async (v) => [v, await stub(c.env, v).seedBackfill(v, seed, sizes, now)] as const,
      ),
    ),
  );
  const out = seedBackfill(seed, sizes, now);
  return c.json({ seed, sizes, counts, cases: out.cases, ...(o?.["truth"] === true ? { truth: out.truth } : {}) });
});

control.get("/_sandbox/:vendor/requests", async (c, next) => {
  const v = c.req.param("vendor");
  // The MLS keeps its own, richer request log (sandbox/src/reso/control.ts).
  if (v === "reso") return next();
  return isVendorName(v) ? c.json(await stub(c.env, v).requestLog(v)) : unknownVendor(v);
});

control.get("/_sandbox/:vendor/records", async (c) => {
  const v = c.req.param("vendor");
  return isVendorName(v) ? c.json(await stub(c.env, v).records(v)) : unknownVendor(v);
});

control.get("/_sandbox/:vendor/counters", async (c) => {
  const v = c.req.param("vendor");
  return isVendorName(v) ? c.json(await stub(c.env, v).counterSnapshot(v)) : unknownVendor(v);
});

control.get("/_sandbox/:vendor/settings", async (c) => {
  const v = c.req.param("vendor");
  return isVendorName(v) ? c.json(await stub(c.env, v).getSettings(v)) : unknownVendor(v);
});

control.put("/_sandbox/:vendor/settings", async (c) => {
  const v = c.req.param("vendor");
  if (!isVendorName(v)) return unknownVendor(v);
  const read = await readJson(c.req.raw);
  if (!read.ok) return json({ error: "invalid_json" }, 400);
  const r = await stub(c.env, v).putSettings(v, read.value);
  return r.ok ? c.json(r.settings) : json({ error: r.code, issues: r.errors }, 400);
});

control.post("/_sandbox/:vendor/clock", async (c) => {
  const v = c.req.param("vendor");
  if (!isVendorName(v)) return unknownVendor(v);
  const read = await readJson(c.req.raw);
  const ms = read.ok ? num(asObject(read.value)?.["advanceMs"]) : undefined;
  if (ms === undefined) return json({ error: "advanceMs (number) is required" }, 400);
  return c.json({ clockOffsetMs: await stub(c.env, v).advanceClock(v, ms) });
});

// The MLS's own controls (seed, change, push, request log); registered after the generic vendor
// routes, so /_sandbox/reso/settings and the like still reach those.
control.all("/_sandbox/reso/*", (c) => forward(c.env, "reso", c.req.raw));

function unknownVendor(v: string): Response {
  return json({ error: "unknown_vendor", vendor: v, vendors: VENDOR_NAMES }, 404);
}
