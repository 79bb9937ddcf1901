import * as z from "zod";

/** The replication runs of a feed: the listings themselves, the keys-only pass, the roster. */
export const RUN_LISTINGS = "Property";
export const RUN_KEYS = "Property#keys";
/** The list agents and offices (RESO Member and Office), replicated like the listings. */
export const RUN_MEMBERS = "Member";
export const RUN_OFFICES = "Office";
export const MlsRun = z.enum([RUN_LISTINGS, RUN_KEYS, RUN_MEMBERS, RUN_OFFICES]);
export type MlsRun = z.infer<typeof MlsRun>;

const Base = { v: z.literal(1), kind: z.literal("mls") };

/**
 * The MLS queue's jobs. `page`: one page of a run, numbered by `seq` (the run's state in D1 says
 * which page is current, so a copy of an applied page changes nothing). `fetch`: records an
 * EntityEvent push or a keys pass named. `note`: a listing change told to one CRM person.
 */
export const MlsMessage = z.discriminatedUnion("job", [
  z.object({ ...Base, job: z.literal("page"), connection: z.string().min(1), run: MlsRun, seq: z.number().int().min(0) }),
  z.object({ ...Base, job: z.literal("fetch"), connection: z.string().min(1), keys: z.array(z.string().min(1).max(255)).min(1).max(50), reason: z.string().max(200) }),
  z.object({
    ...Base,
    job: z.literal("note"),
    personId: z.string().min(1),
    listingKey: z.string().min(1),
    changeId: z.string().min(1).max(300),
    subject: z.string().min(1).max(200),
    body: z.string().min(1).max(2000),
  }),
]);
export type MlsMessage = z.infer<typeof MlsMessage>;

export function isMlsMessage(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "mls";
}

/**
 * Whether page message `seq` is the retry of a page that was applied but whose next page may
 * never have been queued: its own delivery failed after the run moved on to seq + 1 (the send
 * threw, the invocation died). That retry queues the next page again, or the run would wait for
 * the cron to notice. A first delivery that finds its page applied is a copy (a resume, a
 * duplicate): it stays quiet, so copies never breed copies; at worst a retry duplicates a next
 * page that did get queued, and the page's compare-and-set applies it once.
 */
export function needsHandOff(state: { status: string; seq: number }, seq: number, attempts: number): boolean {
  return attempts > 1 && state.status === "running" && state.seq === seq + 1;
}
