/**
 * Every queue message schema. Each carries `v` so a consumer deployed before a producer (or after)
 * recognises a shape it does not know instead of misreading it. Canonical events and inbound
 * deliveries are told apart by their queue; the jobs (`poll`, `mls`, `backfill`, …) carry a
 * `kind` and may ride several queues (the one whose consumer talks to their vendor).
 */
import * as z from "../lib/zod";
import { ReadPhase } from "../store/backfill-reads";
import { CanonicalEvent, SourceName } from "../canonical";
import { parseWith, type Result } from "../canonical/result";

/** Header names that must never ride on a queue message (they are secrets or signatures). */
const SECRET_HEADER = /(signature|authorization|secret|token|cookie|api-?key|system-key)/i;

/** A verified webhook delivery, as the intake route enqueues it on the `inbound` queue. */
export const InboundMessage = z
  .object({
    v: z.literal(1),
    /** The hub's id for this delivery; it becomes the prefix of every event id it yields. */
    deliveryId: z.string().check(z.minLength(1), z.maxLength(200)),
    source: SourceName,
    /** The idempotency key derived from the delivery (vendor event id or body hash). */
    deliveryKey: z.string().check(z.minLength(1), z.maxLength(500)),
    /** Epoch milliseconds when the route accepted the delivery. */
    receivedAt: z.int().check(z.positive()),
    /** The source's event name when it arrives outside the body (a header or the path). */
    eventHint: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** Only the non-secret headers the mapper needs (e.g. `intuit-notification-schema-version`). */
    headers: z._default(z.record(z.string(), z.string().check(z.maxLength(2000))), {}).check(
      z.refine((h) => Object.keys(h).every((k) => !SECRET_HEADER.test(k)), {
        message: "secret or signature headers must not be enqueued",
      }),
    ),
    /** The parsed JSON body, when it fits in a queue message. */
    body: z.optional(z.unknown()),
    /** Where the body was spooled when it was too large for a queue message. */
    spoolId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  })
  .check(
    z.refine((m) => m.body !== undefined || m.spoolId !== undefined, {
      message: "a message carries a body or a spoolId",
      path: ["body"],
    }),
  );
export type InboundMessage = z.infer<typeof InboundMessage>;

/** A canonical event on its way to a subscriber queue (`crm`, `tms`, `accounting`, `mls`). */
export const CanonicalMessage = z.object({
  v: z.literal(1),
  event: CanonicalEvent,
  /** How many times a consumer already tried this message (for logs and backoff). */
  attempt: z.optional(z.int().check(z.nonnegative())),
});
export type CanonicalMessage = z.infer<typeof CanonicalMessage>;

/** Parses an `inbound` queue message body; never throws. */
export function parseInboundMessage(input: unknown): Result<InboundMessage, "message_invalid"> {
  return parseWith(InboundMessage, input, "message_invalid");
}

/** Parses a subscriber queue message body; never throws. */
export function parseCanonicalMessage(input: unknown): Result<CanonicalMessage, "message_invalid"> {
  return parseWith(CanonicalMessage, input, "message_invalid");
}

/** A backup-poll job, enqueued by the cron on the queue of the connection's system. */
export const PollMessage = z.object({
  v: z.literal(1),
  kind: z.literal("poll"),
  connection: z.string().check(z.minLength(1)),
  at: z.int(),
});
export type PollMessage = z.infer<typeof PollMessage>;

/** The replication runs of a feed: the listings themselves, the keys-only pass, the roster. */
export const RUN_LISTINGS = "Property";
export const RUN_KEYS = "Property#keys";
/** The list agents and offices (RESO Member and Office), replicated like the listings. */
export const RUN_MEMBERS = "Member";
export const RUN_OFFICES = "Office";
export const MlsRun = z.enum([RUN_LISTINGS, RUN_KEYS, RUN_MEMBERS, RUN_OFFICES]);
export type MlsRun = z.infer<typeof MlsRun>;

const MlsBase = { v: z.literal(1), kind: z.literal("mls") };

/**
 * The MLS queue's jobs. `page`: one page of a run, numbered by `seq` (the run's state in D1 says
 * which page is current, so a copy of an applied page changes nothing). `fetch`: records an
 * EntityEvent push or a keys pass named. `note`: a listing change told to one CRM person.
 */
export const MlsMessage = z.discriminatedUnion("job", [
  z.object({ ...MlsBase, job: z.literal("page"), connection: z.string().check(z.minLength(1)), run: MlsRun, seq: z.int().check(z.gte(0)) }),
  z.object({
    ...MlsBase,
    job: z.literal("fetch"),
    connection: z.string().check(z.minLength(1)),
    keys: z.array(z.string().check(z.minLength(1), z.maxLength(255))).check(z.minLength(1), z.maxLength(50)),
    reason: z.string().check(z.maxLength(200)),
  }),
  z.object({
    ...MlsBase,
    job: z.literal("note"),
    personId: z.string().check(z.minLength(1)),
    listingKey: z.string().check(z.minLength(1)),
    changeId: z.string().check(z.minLength(1), z.maxLength(300)),
    subject: z.string().check(z.minLength(1), z.maxLength(200)),
    body: z.string().check(z.minLength(1), z.maxLength(2000)),
  }),
]);
export type MlsMessage = z.infer<typeof MlsMessage>;

/** One page of a backfill run, on the queue of the phase's vendor. */
/** The most vendor pages one backfill reader message stages before handing over to the next. */
export const BACKFILL_READ_PAGES_MAX = 50;

/**
 * A backfill linker message (`page`: the run's page count), or a reader message (`read`: its
 * phase, `page`: the phase's next page to stage; `pages`: how many one message reads before
 * handing over).
 */
export const BackfillMessage = z.object({
  v: z.literal(1),
  kind: z.literal("backfill"),
  run: z.string().check(z.minLength(1)),
  page: z.int().check(z.gte(0)),
  read: z.optional(ReadPhase),
  pages: z.optional(z.int().check(z.gte(1), z.lte(BACKFILL_READ_PAGES_MAX))),
});
export type BackfillMessage = z.infer<typeof BackfillMessage>;

/** A health check of one connection, enqueued by the cron on the queue of the connection's system. */
export const HealthMessage = z.object({
  v: z.literal(1),
  kind: z.literal("health"),
  connection: z.string().check(z.minLength(1)),
  at: z.int(),
});
export type HealthMessage = z.infer<typeof HealthMessage>;

/** A merge proposal to approve (the nightly dedupe's auto-merge), on the CRM's queue: it notes the CRM. */
export const MergeMessage = z.object({
  v: z.literal(1),
  kind: z.literal("merge"),
  proposal: z.string().check(z.minLength(1), z.maxLength(200)),
  actor: z.string().check(z.minLength(1), z.maxLength(200)),
});
export type MergeMessage = z.infer<typeof MergeMessage>;
/** The actor of the nightly dedupe's own merges, which never overrule an operator's rejection. */
export const AUTO_MERGE = "auto-merge";

/** What a consumer sends to the dead-letter queue: the original message plus why it failed. */
export const DeadLetterEnvelope = z.object({
  v: z.literal(1),
  kind: z.literal("dead_letter"),
  queue: z.string(),
  messageId: z.string(),
  attempts: z.int().check(z.gte(0)),
  reason: z.enum(["permanent", "exhausted"]),
  errorCode: z.string(),
  error: z.string(),
  status: z.optional(z.int()),
  vendor: z.optional(z.string()),
  /** The stuck subject the failure is about, if not the message (Failure.subject). */
  subject: z.optional(z.string()),
  payload: z.unknown(),
});
export type DeadLetterEnvelope = z.infer<typeof DeadLetterEnvelope>;

/** The kinds of job; a message without one is an inbound delivery or a canonical event. */
export const JOB_KINDS = ["poll", "mls", "backfill", "health", "merge"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A job message of any kind (each consumer parses its own). */
export type JobMessage = PollMessage | MlsMessage | BackfillMessage | HealthMessage | MergeMessage;

/** The `kind` of a job message (any queue), or undefined for an inbound or canonical message. */
export function jobKind(body: unknown): JobKind | undefined {
  const kind = typeof body === "object" && body !== null ? (body as { kind?: unknown }).kind : undefined;
  return JOB_KINDS.find((k) => k === kind);
}

export function isMlsMessage(body: unknown): boolean {
  return jobKind(body) === "mls";
}
