/**
 * KV access for dead letters parked while D1 could not take them. KV is the hub's one store that
 * does not share D1's outages; a parked letter has no expiry and stays until the cron has moved it
 * into D1 (`drainParkedLetters`).
 */
import * as z from "../lib/zod";

const PREFIX = "parked-letter:";

export const ParkedLetter = z.object({
  messageId: z.string().check(z.minLength(1)),
  attempts: z.int().check(z.gte(0)),
  body: z.unknown(),
  parkedAt: z.int(),
});
export type ParkedLetter = z.infer<typeof ParkedLetter>;

export async function parkLetter(kv: KVNamespace, l: ParkedLetter): Promise<void> {
  await kv.put(`${PREFIX}${l.messageId}`, JSON.stringify(l));
}

/** Parked letters, up to `limit`; an entry that does not parse is reported and left in place. */
export async function listParked(kv: KVNamespace, limit: number): Promise<ParkedLetter[]> {
  const out: ParkedLetter[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: PREFIX, limit: Math.min(1_000, limit - out.length), ...(cursor ? { cursor } : {}) });
    for (const k of page.keys) {
      const raw = await kv.get(k.name, "json");
      const p = ParkedLetter.safeParse(raw);
      if (p.success) out.push(p.data);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor && out.length < limit);
  return out;
}

export async function unpark(kv: KVNamespace, messageId: string): Promise<void> {
  await kv.delete(`${PREFIX}${messageId}`);
}
