/**
 * Lead sources as emitters: `POST /_sandbox/leads` generates leads and sends each as a Standard
 * Webhooks delivery (`lead.created`) to the hub's `/hooks/<source>`, signed with that source's
 * whsec_ secret. Answers with the leads so a test or benchmark knows what to expect.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { VendorCtx, VendorDef, VendorEnv } from "../core/context";
import { json, readJson } from "../lib/http";
import { generateLeads, LEAD_SOURCES } from "./generate";
import type { LeadSource } from "./generate";

/** The Standard Webhooks example schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, ... */
export const STANDARD_LADDER_MS = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400].map((s) => s * 1000);

const LeadRequestSchema = z.strictObject({
  source: z.enum(LEAD_SOURCES),
  count: z.number().int().min(1).max(1000).default(1),
  repeatRate: z.number().min(0).max(1).default(0.2),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});

function secretFor(vs: VendorCtx, source: LeadSource): string {
  const secrets: Record<LeadSource, string> = {
    zillow: vs.env.WEBHOOK_SECRET_ZILLOW,
    realtor: vs.env.WEBHOOK_SECRET_REALTOR,
    idx: vs.env.WEBHOOK_SECRET_IDX,
  };
  return secrets[source];
}

const app = new Hono<VendorEnv>();

app.post("/_sandbox/leads", async (c) => {
  const vs = c.env.vs;
  const body = await readJson(c.req.raw);
  const parsed = LeadRequestSchema.safeParse(body.ok ? body.value : undefined);
  if (!parsed.success) {
    return json(
      { error: "invalid_request", issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
      400,
    );
  }
  const { source, count, repeatRate } = parsed.data;
  const seed = parsed.data.seed ?? vs.rng.int(0x7fffffff);
  const batch = vs.store.seq("batch", 0);
  const leads = generateLeads({ source, count, repeatRate, seed, batch });
  const secret = secretFor(vs, source);
  const timestamp = new Date(vs.now()).toISOString();
  const out = leads.map((lead) => {
    const queued = vs.emit({
      source,
      url: null,
      body: { type: "lead.created", timestamp, data: lead.data },
      sign: { scheme: "standard-webhooks", secret, msgId: lead.webhookId },
      ladderMs: STANDARD_LADDER_MS,
    });
    return { ...lead, deliveryIds: queued.ids, dropped: queued.dropped, duplicated: queued.duplicated };
  });
  return json({
    source,
    seed,
    batch,
    count: out.length,
    people: new Set(out.map((l) => l.personKey)).size,
    delivery: /^https?:\/\//.test(vs.env.HUB_URL) ? "http" : "outbox",
    leads: out,
  });
});

export const leadEmitter: VendorDef = {
  name: "leads",
  app,
  contextOf: () => "emit",
  errorBody: (_s, message) => ({ body: { error: message } }),
  faultable: () => false,
  seed: () => undefined,
};
