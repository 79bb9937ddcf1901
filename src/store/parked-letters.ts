/**
 * KV access for dead letters parked while D1 could not take them. KV is the hub's one store that
 * does not share D1's outages; a parked letter has no expiry and stays until the cron has moved it
 * into D1 (`drainParkedLetters`).
 */
import { parseJsonOr } from "../lib/json";
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

/**
 * Parked letters, up to `limit`, and the keys of entries that do not parse: those are left in
 * place for an operator, never taken for an empty park.
 */
export async function listParked(kv: KVNamespace, limit: number): Promise<{ letters: ParkedLetter[]; unreadable: string[] }> {
  const letters: ParkedLetter[] = [];
  const unreadable: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: PREFIX, limit: Math.min(1_000, limit - letters.length), ...(cursor ? { cursor } : {}) });
    for (const k of page.keys) {
      const text = await kv.get(k.name, "text");
      const p = ParkedLetter.safeParse(text === null ? undefined : parseJsonOr(text, undefined));
      if (p.success) letters.push(p.data);
      else unreadable.push(k.name);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor && letters.length < limit);
  return { letters, unreadable };
}

export async function unpark(kv: KVNamespace, messageId: string): Promise<void> {
  await kv.delete(`${PREFIX}${messageId}`);
}
