/** Reads what the hub has written, to prove refused requests wrote and queued nothing. */
import { env } from "cloudflare:workers";

/** The tables of the database (a DROP TABLE that executed would remove one). */
export async function tableNames(): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all<{ name: string }>();
  return results.map((r) => r.name);
}

/** Row counts of the intake tables. */
export async function intakeCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ["deliveries", "payload_spool", "dead_letters", "message_attempts"] as const) {
    const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>();
    out[t] = row?.n ?? -1;
  }
  return out;
}

/** Ids of every recorded delivery. */
export async function deliveryIds(): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT id FROM deliveries ORDER BY id").all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Delivery ids any trace refers to. */
export async function tracedDeliveryIds(): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT DISTINCT delivery_id AS id FROM traces WHERE delivery_id IS NOT NULL ORDER BY id").all<{
    id: string;
  }>();
  return results.map((r) => r.id);
}

/** Every `seen:` key in KV with its value (the delivery id it was queued as). */
export async function seenEntries(): Promise<Array<{ key: string; deliveryId: string | null }>> {
  const out: Array<{ key: string; deliveryId: string | null }> = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await env.IDEMPOTENCY.list({ prefix: "seen:", ...(cursor ? { cursor } : {}) });
    for (const k of page.keys) out.push({ key: k.name, deliveryId: await env.IDEMPOTENCY.get(k.name) });
    if (page.list_complete) return out;
    cursor = page.cursor;
  }
}

/** Failures of the ingest consumer (a crash on stored data would show here). */
export async function inboundFailures(): Promise<Array<{ code: string; error: string }>> {
  const { results } = await env.DB.prepare(
    "SELECT code, error FROM message_attempts WHERE queue = 'inbound' UNION ALL SELECT error_code AS code, error FROM dead_letters WHERE queue = 'inbound'",
  ).all<{ code: string; error: string }>();
  return results;
}
