/**
 * Per-vendor control settings: fault injection, limits, token lifetimes and switches. The
 * schema is the one source of the type; `PUT /_sandbox/:vendor/settings` sends a partial patch.
 */
import * as z from "zod";

const Rate = z.number().min(0).max(1);
const RateLimitSchema = z.strictObject({
  limit: z.number().int().min(0),
  windowSeconds: z.number().positive(),
});
const EpochOrIso = z.union([z.number(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
/** A regular expression given as text; one that does not compile is refused with the settings. */
const Pattern = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => {
    try {
      new RegExp(p, "is");
      return true;
    } catch {
      return false;
    }
  }, "not a valid regular expression");

/** What `broken` can name (see there). */
export const BREAKABLE = [
  "credentials",
  "refresh",
  "systemKey",
  "transactionField",
  "triggerStage",
  "mappedStage",
  "webhooks",
  "profile",
  "loopIt",
  "subscription",
  "realm",
  "item",
  "expenseAccount",
  "offices",
  "agents",
  "connectRecipients",
  "mappedField",
] as const;
export type Breakable = (typeof BREAKABLE)[number];

/** Whether this vendor's settings break the named assumption. */
export const breaks = (settings: Settings, what: Breakable): boolean => settings.broken.includes(what);

/** `webhooks` / `subscription` broken: what the vendor lists points at a hub that moved. */
export const movedHub = (url: string): string => url.replace(/^https?:\/\/[^/]+/, "https://old-hub.example.com");

const shape = {
  /** Fraction of API requests answered with one of `errorStatuses` instead of being served. */
  errorRate: Rate,
  errorStatuses: z.array(z.number().int().min(400).max(599)).min(1),
  /** Added to every API request (plus up to `latencyJitterMs`, seeded). */
  latencyMs: z.number().min(0),
  latencyJitterMs: z.number().min(0),
  /** Fraction of API requests that hang for `timeoutMs`, then answer 504. */
  timeoutRate: Rate,
  timeoutMs: z.number().min(0),
  /** Every API request gets a 429 until this time (epoch ms or ISO). */
  stormUntil: EpochOrIso.nullable(),
  /** Fraction of API requests that get a 429 regardless of the limit. */
  stormRate: Rate,
  /**
   * Retry-After (seconds) of a `stormRate` 429; null = the vendor's own (Dotloop and QuickBooks
   * 60, FUB 10). A soak that compresses vendor time (`timeScale`) compresses this wait too.
   */
  stormRetryAfterSeconds: z.number().int().min(1).nullable(),
  /**
   * Permanent refusals for a chosen set of records, not a random share: every write (POST, PUT,
   * PATCH, DELETE) whose `METHOD /path?query` line plus body, one newline apart, matches `match`
   * (case-insensitive, `.` spans lines) is answered `status` in the vendor's error format until
   * the setting is cleared. A soak picks the records by email, address or id, so the hub must
   * dead-letter those writes and an operator's replay must land them once the refusal ends.
   */
  rejectWrites: z.strictObject({ match: Pattern, status: z.number().int().min(400).max(499).default(422) }).nullable(),
  /**
   * The same for reads (GET): a record the account may no longer see, answered `status` on every
   * read until cleared (a user's access narrowed, a record moved out of reach).
   */
  rejectReads: z.strictObject({ match: Pattern, status: z.number().int().min(400).max(499).default(403) }).nullable(),
  /**
   * Writes matched as `rejectWrites` matches them are served, then answered 504 Gateway Timeout:
   * the change is made and the caller is not told, as when a gateway times out behind a slow
   * vendor. What QuickBooks' `requestid` exists for: the retry must find the first answer.
   */
  loseAnswers: z.strictObject({ match: Pattern }).nullable(),
  /** Overrides the vendor's main rate-limit context. */
  rateLimit: RateLimitSchema.nullable(),
  /** Overrides by context name (FUB: global, events, POST.events; QBO: realm-minute, realm-second). */
  rateLimits: z.record(z.string(), RateLimitSchema),
  /** Requests allowed in flight at once (QuickBooks default 10); null = vendor default. */
  concurrencyLimit: z.number().int().min(1).nullable(),
  /** Webhook faults: lost, delivered twice, or held and shuffled. */
  dropRate: Rate,
  duplicateRate: Rate,
  outOfOrder: z.boolean(),
  outOfOrderHoldMs: z.number().min(0),
  /** Schema drift applied to webhook bodies and JSON API responses. */
  drift: z.strictObject({ rename: z.record(z.string(), z.string()).default({}), addUnknown: z.boolean().default(false) }).nullable(),
  /** Access-token / session lifetime in seconds; null = the vendor's documented default. */
  tokenLifetimeSeconds: z.number().positive().nullable(),
  /**
   * How long the MLS's `@odata.nextLink` serves (a paging session that expires), and the status
   * it answers once expired; null = links never expire. RESO's Web API Core says nothing of a
   * link's lifetime or of the answer to a stale one, so a client must survive any 4xx here.
   */
  pageLinks: z.strictObject({ lifetimeSeconds: z.number().min(0), status: z.number().int().min(400).max(499).default(400) }).nullable(),
  /**
   * Whether the MLS pages by `@odata.nextLink` (server-driven); false: it answers at most `$top`
   * records and no link, and a client asks for the rest itself, as RESO Web API Core's own `$top`
   * and `$skip` sections show it (the Core requires `$skip`, not a next link).
   */
  serverPaging: z.boolean(),
  /**
   * Whether records sharing a ModificationTimestamp come in another order in each client-paged
   * answer: RESO Web API Core pages five Members of one timestamp by `$top`/`$skip` and notes that
   * "a compliant server is not required to guarantee consistent results between requests".
   */
  tiesVary: z.boolean(),
  /**
   * The most records the MLS answers to one query, whatever `$top` asks; null = 1000. RESO Web API
   * Core §2.5.5: "Servers MAY respond with a page size different than the one requested, and
   * clients should be prepared to respond accordingly"; with `serverPaging` false, no link says so.
   */
  maxPage: z.number().int().positive().nullable(),
  /**
   * The largest `$skip` the MLS serves (more is a 400); null = any. RESO Web API Core §2.5.7: "providers
   * are allowed to decide for themselves how many records they want to allow skipping over".
   */
  maxSkip: z.number().int().min(0).nullable(),
  /**
   * Whether the MLS writes `@odata.nextLink` relative to the service root (`Property?$skiptoken=…`).
   * OData JSON Format 4.01 §4.3: "URLs present in a payload (whether request or response) MAY be
   * represented as relative URLs", relative to the context URL (`$metadata#…`, at the service root).
   */
  relativeLinks: z.boolean(),
  /**
   * Whether StandardStatus is a Lookup-resource field: `$metadata` declares it `Edm.String` with
   * a `RESO.OData.Metadata.LookupName` annotation and answers carry the human friendly value
   * ("Active Under Contract"), as RESO's Data Dictionary 2.0 endorsement (RCP 40 §2.2) shows;
   * otherwise the OData enum name ("ActiveUnderContract").
   */
  lookupDisplay: z.boolean(),
  /**
   * Whether the MLS's next links page by `$skip` (an offset into the query's answer) rather than
   * `$skiptoken`: OData leaves a next link's form to the server (Protocol, Server-Driven Paging), and an
   * offset shifts when a record already read changes and moves to the end of the order.
   */
  skipLinks: z.boolean(),
  /** Follow Up Boss lead sources whose lead flow is archived (POST /v1/events answers 204). */
  archivedSources: z.array(z.string()),
  /** OAuth authorize endpoints redirect with error=access_denied. */
  denyOAuth: z.boolean(),
  /** Deliver webhooks to the hub even when nothing is registered (default true). */
  autoWebhooks: z.boolean(),
  /** Multiplier on vendor retry ladders and holds, so a demo's 30-minute retry takes 18 s. */
  timeScale: z.number().positive(),
  /** QuickBooks webhook body: the legacy eventNotifications or the CloudEvents array. */
  webhookFormat: z.enum(["legacy", "cloudevents"]),
  /** Shifts this vendor's clock (token expiry, rate windows) without waiting. */
  clockOffsetMs: z.number(),
  /** Dotloop `subscriptionExternalId` of deliveries made without a subscription. */
  autoSubscriptionExternalId: z.string(),
  /**
   * SkySlope bulk export (`GET /api/files`) body: the bare array SkySlope's own sample prints, or
   * the root `value` a client library reads. Published sources disagree, so the hub takes both.
   */
  exportShape: z.enum(["array", "value"]),
  /**
   * QuickBooks company preference `SalesFormsPrefs.CustomTxnNumbers` (off in Intuit's sample and
   * by default). Off, a supplied DocNumber is stored as sent (even a duplicate) and one left out
   * is the company's next number; on, one left out stays empty.
   */
  customTxnNumbers: z.boolean(),
  /**
   * The QuickBooks company's sales-form custom fields (at most three string fields through the
   * API, Intuit's "Manage custom fields"): their names in order, definition ids "1" to "3".
   */
  qboSalesCustomFields: z.array(z.string().min(1).max(31)).max(3),
  /**
   * The most objects one QuickBooks change data capture answer holds, all entities together;
   * null = 1000, Intuit's published maximum. Which objects an answer over it leaves out is not
   * published: the sandbox keeps the newest, so the oldest changes go unlisted.
   */
  qboCdcMax: z.number().int().min(1).nullable(),
  /**
   * Follow Up Boss deal timestamps: `createdAt/updatedAt` (as deals were seen) or `created/updated`
   * (as people have them, and as some descriptions of deals spell them).
   */
  dealTimestamps: z.enum(["createdAt", "created"]),
  /** Dotloop's signed string: the raw body, or `timestamp.body` (published clients disagree). */
  dotloopSigning: z.enum(["body", "timestamp.body"]),
  /** Whether a retried Dotloop delivery carries a fresh `X-DOTLOOP-TIMESTAMP` or its first one (unknown). */
  dotloopRetryTimestamp: z.enum(["each", "first"]),
  /**
   * What Dotloop's loop list says in `meta.total`: the count, or 0 beside its rows, as a client
   * library's recorded answers have it (test/contracts/dotloop/SOURCES.md, `loop-list.response.json`).
   */
  dotloopLoopTotal: z.enum(["count", "zero"]),
  /**
   * Whether the loop list's `filter=updated_min=` keeps loops stamped at that very instant
   * (`inclusive`) or only later ones (`exclusive`): Dotloop does not say.
   */
  dotloopUpdatedMin: z.enum(["inclusive", "exclusive"]),
  /**
   * An agent at work while the hub pages: after answering a loop list, the first loop it listed is
   * edited (its `updated` becomes now, so it sorts last; no webhook is sent for it).
   */
  dotloopEditWhilePaging: z.boolean(),
  /**
   * Account assumptions this vendor breaks, one name each, so the hub's connection doctor can be
   * shown to fail on exactly that one: `credentials` (the API key, token or login is refused),
   * `refresh` (refresh grants are refused), `systemKey`, `transactionField` (FUB's Transaction ID
   * deal field is gone), `triggerStage` / `mappedStage` (FUB's Under Contract / Active Client
   * stages were renamed), `webhooks` / `subscription` (the registrations point at another URL),
   * `profile` (no individual Dotloop profile), `loopIt` (the profile requires a template),
   * `realm`, `item`, `expenseAccount`, `offices`, `agents`, `connectRecipients` (DocuSign Connect
   * sends no envelopeSummary).
   */
  broken: z.array(z.enum(BREAKABLE)),
  /**
   * DocuSign Connect's JSON SIM event: `minimal` (envelope and account ids only, what Connect sends
   * unless the configuration includes more) or `summary` (with `envelopeSummary` and its recipients).
   */
  connectData: z.enum(["minimal", "summary"]),
};

export const SettingsSchema = z.strictObject(shape);
/** A partial update; unknown keys are refused so a typo is not silently ignored. */
export const SettingsPatchSchema = z.strictObject(shape).partial();

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  errorRate: 0,
  errorStatuses: [500, 502, 503],
  latencyMs: 0,
  latencyJitterMs: 0,
  timeoutRate: 0,
  timeoutMs: 30_000,
  stormUntil: null,
  stormRate: 0,
  stormRetryAfterSeconds: null,
  rejectWrites: null,
  rejectReads: null,
  loseAnswers: null,
  rateLimit: null,
  rateLimits: {},
  concurrencyLimit: null,
  dropRate: 0,
  duplicateRate: 0,
  outOfOrder: false,
  outOfOrderHoldMs: 2_000,
  drift: null,
  tokenLifetimeSeconds: null,
  pageLinks: null,
  serverPaging: true,
  tiesVary: false,
  maxPage: null,
  maxSkip: null,
  relativeLinks: false,
  lookupDisplay: false,
  skipLinks: false,
  archivedSources: [],
  denyOAuth: false,
  autoWebhooks: true,
  timeScale: 0.01,
  webhookFormat: "legacy",
  clockOffsetMs: 0,
  autoSubscriptionExternalId: "dealwire",
  exportShape: "array",
  customTxnNumbers: false,
  qboSalesCustomFields: ["Earnest Money"],
  qboCdcMax: null,
  dealTimestamps: "createdAt",
  dotloopSigning: "body",
  dotloopRetryTimestamp: "each",
  dotloopLoopTotal: "count",
  dotloopUpdatedMin: "inclusive",
  dotloopEditWhilePaging: false,
  broken: [],
  connectData: "minimal",
};

export type SettingsUpdate =
  | { ok: true; settings: Settings }
  | { ok: false; code: "invalid_settings"; errors: Array<{ path: string; message: string }> };

/** Applies a patch to the current settings, or explains why it was refused. */
export function applySettingsPatch(current: Settings, patch: unknown): SettingsUpdate {
  const r = SettingsPatchSchema.safeParse(patch);
  if (!r.success) {
    return {
      ok: false,
      code: "invalid_settings",
      errors: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  }
  const defined = Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined));
  return { ok: true, settings: SettingsSchema.parse({ ...current, ...defined }) };
}

/**
 * The settings a reset starts from: the defaults, overlaid with this vendor's part of the
 * `SANDBOX_VARIANT` variable (JSON, `{ "<vendor>": { <setting>: <value> } }`), so a whole test
 * run can play one published variant while each test still resets the sandbox as usual. A
 * variant that does not parse is refused loudly rather than ignored.
 */
export function startingSettings(vendor: string, variant: unknown): Settings {
  if (typeof variant !== "string" || variant.trim() === "") return DEFAULT_SETTINGS;
  const patch = (JSON.parse(variant) as Record<string, unknown>)[vendor];
  if (patch === undefined) return DEFAULT_SETTINGS;
  const r = applySettingsPatch(DEFAULT_SETTINGS, patch);
  if (!r.ok) throw new Error(`SANDBOX_VARIANT for ${vendor}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  return r.settings;
}

/** The effective limit of a rate-limit context: the override if any, else the vendor default. */
export function limitFor(
  settings: Settings,
  context: string,
  fallback: { limit: number; windowSeconds: number } | null,
  main: boolean,
): { limit: number; windowSeconds: number } | null {
  return settings.rateLimits[context] ?? (main ? settings.rateLimit : null) ?? fallback;
}
