import * as z from "../lib/zod";
import { decodeCursor } from "../store/page";

/**
 * Every input the ops API accepts, as zod schemas. Routes validate with these and the OpenAPI
 * document is generated from these, so the two cannot disagree. Query values arrive as strings,
 * so numbers in queries are digit strings transformed after validation. Bodies are strict: a
 * misspelt field (`dryrun`) is refused, not dropped for a default that would act for real.
 */

const DAY_MS = 86_400_000;

/** A record, event, delivery, letter or proposal id as it appears in a path. */
export const Id = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9._:|@+-]+$/, "not an id"));
/** `:id` in a path. */
export const IdParam = z.object({ id: Id });

function instant(endOfDay: boolean) {
  return z.pipe(
    z.union([z.int().check(z.nonnegative()), z.string().check(z.maxLength(40))]),
    z.transform((v, ctx) => {
      // Date.parse alone reads "March 7" as 2001 and "99" as 1999: only epoch milliseconds (as
      // digits) or an ISO 8601 date (YYYY-MM-DD, then its time) are taken.
      const ms = typeof v === "number" ? v : /^\d{10,15}$/.test(v) ? Number(v) : /^\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : Number.NaN;
      if (!Number.isFinite(ms)) {
        ctx.issues.push({ input: v, code: "custom", message: "use epoch milliseconds or an ISO 8601 date" });
        return z.NEVER;
      }
      // A bare date as the end of a window means the whole of that day.
      return endOfDay && typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? ms + DAY_MS - 1 : ms;
    }),
  );
}

/** A point in time: epoch milliseconds, or an ISO 8601 date or date-time. */
export const Instant = instant(false);
/** The end of a window (inclusive); a bare date means the end of that day (UTC). */
export const InstantEnd = instant(true);

/** A query parameter holding a whole number written plainly (not `1e2`, `0x10` or ` 5`). */
export function intString(min: number, max: number) {
  return z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,6}$/, "a whole number")), z.transform(Number)),
    z.int().check(z.gte(min), z.lte(max)),
  );
}

/** A page's size in the lists: at most 500 rows. */
export const Limit = z.optional(intString(1, 500));

/** The `cursor` a list answered with, to read its next page. */
export const Cursor = z.pipe(
  z.string().check(z.maxLength(400)),
  z.transform((v, ctx) => {
    const p = decodeCursor(v);
    if (!p) {
      ctx.issues.push({ input: v, code: "custom", message: "not a cursor this API gave out" });
      return z.NEVER;
    }
    return p;
  }),
);
const QueueName = z.enum(["inbound", "crm", "tms", "accounting", "mls"]);
const Short = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));

/** POST /records/search: what to look for, in the body so emails and phones stay out of URLs and logs. */
export const SearchQuery = z.strictObject({
  q: z.string().check(z.trim(), z.minLength(2, "search for at least 2 characters"), z.maxLength(200)),
  limit: z.optional(z.int().check(z.gte(1), z.lte(100))),
});

/** GET /dead-letters: filters, all optional. */
export const DeadLetterFilter = z.object({
  status: z.optional(z.enum(["open", "replayed", "discarded"])),
  vendor: z.optional(Short),
  code: z.optional(Short),
  queue: z.optional(z.enum([...QueueName.options, "unknown"])),
  from: z.optional(Instant),
  to: z.optional(InstantEnd),
  limit: Limit,
  cursor: z.optional(Cursor),
});

/**
 * Bulk replay: which open letters (every one matching, however many), and how fast they may
 * reach their queues. One call replays up to `limit` of them and says how many still match; the
 * caller calls again with the same filter until none remain.
 */
export const BulkReplay = z
  .strictObject({
    vendor: z.optional(Short),
    code: z.optional(Short),
    queue: z.optional(QueueName),
    from: z.optional(Instant),
    to: z.optional(InstantEnd),
    all: z.optional(z.literal(true)),
    limit: z._default(z.int().check(z.gte(1), z.lte(1000)), 1000),
    perSecond: z._default(z.int().check(z.gte(1), z.lte(50)), 5),
  })
  .check(
    z.refine((b) => [b.vendor, b.code, b.queue, b.from, b.to, b.all].some((v) => v !== undefined), {
      message: "name at least one filter (vendor, code, queue), a time window (from, to), or all: true",
      path: ["vendor"],
    }),
    z.refine((b) => b.from === undefined || b.to === undefined || b.from <= b.to, { message: "from is after to", path: ["from"] }),
    z.refine((b) => b.from === undefined || b.to === undefined || b.to - b.from <= 31 * DAY_MS, {
      message: "a window of at most 31 days",
      path: ["to"],
    }),
  );

/** `:key` of an alert in a path: its key as the alerts list shows it. */
export const AlertKeyParam = z.object({ key: z.string().check(z.minLength(1), z.maxLength(300)) });

/** An operator's reason for discarding a letter or resolving an alert by hand. */
export const Discard = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(3, "say why (at least 3 characters)"), z.maxLength(500)),
});

/** GET /merges: which proposals. */
export const MergeListQuery = z.object({
  status: z._default(z.enum(["proposed", "approved", "rejected", "merged"]), "proposed"),
  limit: Limit,
  cursor: z.optional(Cursor),
});

/** GET /links: filters, all optional. */
export const LinksQuery = z.object({
  system: z.optional(Short),
  kind: z.optional(z.enum(["person", "deal", "transaction", "invoice", "customer", "vendor"])),
  canonicalId: z.optional(Id),
  externalId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  limit: Limit,
  cursor: z.optional(Cursor),
});

/** A paged list: how many rows, and where the previous page ended. */
export const ListQuery = z.object({ limit: Limit, cursor: z.optional(Cursor) });

/** GET /alerts: the alerts' page and, separately, the notification log's page. */
export const AlertsQuery = z.object({
  limit: Limit,
  cursor: z.optional(Cursor),
  logCursor: z.optional(Cursor),
});

/** GET /mapping/audit: JSON by default, or the sign-off exports. */
export const MappingAuditQuery = z.object({ format: z.optional(z.enum(["json", "md", "csv"])) });

/** GET /reports/roi: the window (default the last 365 days) and the bucket size. */
export const RoiQuery = z
  .object({
    from: z.optional(Instant),
    to: z.optional(InstantEnd),
    period: z._default(z.enum(["day", "week", "month"]), "month"),
  })
  .check(z.refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: "from is after to", path: ["from"] }));

/** The one error shape (RFC 9457 problem document), for the OpenAPI document. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.string(),
  detail: z.string(),
  requestId: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

export type DeadLetterFilter = z.infer<typeof DeadLetterFilter>;
export type BulkReplay = z.infer<typeof BulkReplay>;
/** A webhook registration sync: all registrable connections, or one; a dry run changes nothing. */
export const WebhookSync = z.strictObject({
  dryRun: z._default(z.boolean(), false),
  connection: z.optional(z.string().check(z.regex(/^[a-z]+:[a-z0-9._-]+$/, "a connection id such as followupboss:main"))),
});
export type RoiQuery = z.infer<typeof RoiQuery>;
export type LinksQuery = z.infer<typeof LinksQuery>;
