import * as z from "../lib/zod";
import { RetryPolicy } from "../queues/retry-policy";
import { MAX_PERMIT_WAIT_MS, MAX_VENDOR_TIMEOUT_MS } from "../lib/call-bounds";
import { fieldProblems, FieldsConfig, sharedPlaces } from "./fields";
import { SystemName } from "../canonical/primitives";

export const VendorName = z.enum(["followupboss", "liondesk", "dotloop", "skyslope", "quickbooks", "reso"]);
export type VendorName = z.infer<typeof VendorName>;

const Window = z.object({ limit: z.int().check(z.positive()), windowMs: z.int().check(z.positive()) });

const Limits = z.object({
  windows: z.array(Window).check(z.minLength(1)),
  maxInFlight: z.optional(z.int().check(z.positive())),
  /** Fraction of each published limit the hub allows itself (default 0.95). */
  safety: z.optional(z.number().check(z.gte(0.5), z.lte(1))),
});

/**
 * What an MLS connection (RESO Web API) replicates: the resources (Property: the listings;
 * Member and Office: their list agents and offices), an optional `$filter` that scopes the
 * feed (the brokerage's counties, say), the page size asked with `$top`, how often the keys-only pass looks for listings deleted or out of the feed, and
 * whether a listing's status or price change becomes a note on the CRM people who asked about it.
 */
export const ResoOptions = z.object({
  /** Property is always replicated; Member and Office add the list agents and their offices. */
  resources: z
    ._default(z.array(z.enum(["Property", "Member", "Office"])).check(z.minLength(1)), ["Property"])
    .check(z.refine((r) => r.includes("Property"), "resources must include Property (the listings)")),
  filter: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
  pageSize: z._default(z.int().check(z.gte(1), z.lte(5000)), 1000),
  keysEveryMinutes: z._default(z.int().check(z.gte(60), z.lte(10_080)), 1440),
  notifyInquirers: z._default(z.boolean(), false),
});
export type ResoOptions = z.infer<typeof ResoOptions>;

/** A vendor account the hub acts for. Values may be `${VAR}` references to vars and secrets. */
export const ConnectionConfig = z.object({
  id: z.string().check(z.regex(/^[a-z]+:[a-z0-9._-]+$/, "use <vendor>:<name>, lowercase")),
  vendor: VendorName,
  baseUrl: z.url(),
  authUrl: z.optional(z.url()),
  tokenUrl: z.optional(z.url()),
  credentials: z._default(z.record(z.string(), z.string()), {}),
  limits: z.extend(Limits, {
    /**
     * Budgets of endpoint groups the vendor meters apart (Follow Up Boss contexts such as
     * `POST.events`), by the context names the vendor's dialect gives requests. `null`: unmetered.
     */
    contexts: z._default(z.record(z.string(), z.nullable(Limits)), {}),
  }),
  retry: z.optional(RetryPolicy),
  timeoutMs: z._default(z.int().check(z.gte(1_000), z.lte(MAX_VENDOR_TIMEOUT_MS)), 15_000),
  /** A permit wait longer than this sends the message back to its queue instead of holding a Worker. */
  maxWaitMs: z._default(z.int().check(z.gte(0), z.lte(MAX_PERMIT_WAIT_MS)), 3_000),
  /**
   * Whether the OAuth connect flow sends PKCE (S256). Unset: what the vendor publishes (neither
   * Dotloop nor QuickBooks documents PKCE support, so off); set true once the vendor confirms it.
   */
  pkce: z.optional(z.boolean()),
  /** For per-agent connections (Dotloop tokens belong to an agent). */
  agent: z.optional(z.object({ email: z.optional(z.email()), name: z.optional(z.string()), profileId: z.optional(z.string()) })),
  /** Backup polling interval; the cron runs every 5 minutes and skips connections not yet due. */
  pollMinutes: z._default(z.int().check(z.gte(5), z.lte(60)), 15),
  /** An MLS connection's replication settings (vendor `reso`). */
  reso: z.optional(ResoOptions),
});
export type ConnectionConfig = z.infer<typeof ConnectionConfig>;

const InternalStage = z.enum(["lead", "active", "showing", "offer", "under_contract", "closed", "cancelled", "archived"]);

const RoutingRule = z.object({
  agent: z.string().check(z.minLength(1)),
  zips: z.optional(z.array(z.string().check(z.regex(/^\d{5}$/)))),
  minPriceCents: z.optional(z.int().check(z.gte(0))),
  maxPriceCents: z.optional(z.int().check(z.gte(0))),
  sources: z.optional(z.array(z.string())),
});

/** The golden record's own fields an ownership entry can name; a brokerage field is `custom.<name>`. */
const OWNABLE = ["firstName", "lastName", "emails", "phones", "address", "tags", "name", "stage", "price", "commission", "closingDate"];
const OWNERS = SystemName.options.filter((s) => s !== "hub");

/** Ownership entries that would silently do nothing: a field the record lacks, a system that does not exist. */
function ownershipProblems(ownership: Readonly<Record<string, string>>, declared: readonly string[]) {
  const out: Array<{ field: string; message: string }> = [];
  for (const [field, owner] of Object.entries(ownership)) {
    const custom = field.startsWith("custom.") ? field.slice(7) : null;
    if (custom !== null ? !declared.includes(custom) : !OWNABLE.includes(field))
      out.push({
        field,
        message: declared.includes(field)
          ? `a brokerage field is owned as custom.${field} (or by its own owner)`
          : `no field '${field}' in the golden record (${OWNABLE.join(", ")}, or custom.<field>)`,
      });
    else if (!(OWNERS as readonly string[]).includes(owner))
      out.push({ field, message: `'${owner}' is not a system (${OWNERS.join(", ")})` });
  }
  return out;
}

/** A brokerage's choices: which systems are active and how they map onto each other. */
export const BrokerageConfig = z
  .object({
    connections: z.array(ConnectionConfig).check(z.minLength(1)),
    crm: z.string(),
    tms: z.optional(z.string()),
    accounting: z.optional(z.string()),
    /** The MLS connection (vendor `reso`) whose listings the hub replicates. */
    mls: z.optional(z.string()),
    /**
     * Vendor stage/status names → internal stages, per vendor (followupboss, dotloop, skyslope,
     * liondesk). A vendor's own map is read first; a status it does not list falls back to the
     * vendor's published statuses (src/normalize/status.ts).
     */
    stages: z._default(z.record(z.string(), z.record(z.string(), InternalStage)), {}),
    /** The CRM deal stage (vendor name) that creates the transaction in the TMS. */
    triggerStage: z._default(z.string(), "Under Contract"),
    /** The CRM deal custom field that receives the TMS id. */
    transactionIdField: z._default(z.string(), "customTransactionID"),
    routing: z._default(
      z.object({
        enabled: z._default(z.boolean(), false),
        rules: z._default(z.array(RoutingRule), []),
        roundRobin: z._default(z.array(z.string()), []),
      }),
      { enabled: false, rules: [], roundRobin: [] },
    ),
    /** Field → the system that owns it; fields not listed go to the most recent change. */
    ownership: z._default(z.record(z.string(), z.string()), {}),
    accountingDocument: z._default(
      z.object({
        kind: z._default(z.enum(["invoice", "salesreceipt"]), "invoice"),
        itemRef: z._default(z.string(), "1"),
        agentBills: z._default(z.boolean(), false),
        expenseAccountRef: z._default(z.string(), "7"),
      }),
      { kind: "invoice", itemRef: "1", agentBills: false, expenseAccountRef: "7" },
    ),
    /**
     * Days to keep raw vendor payloads, per source; absent means keep. At least one day: 0 would
     * purge deliveries before they were processed (leave the source out to keep its data).
     */
    retentionDays: z._default(
      z.record(z.string(), z.int().check(z.gte(1, "must be at least 1 day; leave the source out to keep its data"))),
      {},
    ),
    /** The retry ladder of failures no connection claims (a connection's own `retry` wins). */
    retry: z.optional(RetryPolicy),
    alerts: z._default(z.object({ minIntervalSeconds: z._default(z.int().check(z.gte(0)), 900) }), { minIntervalSeconds: 900 }),
    /** The brokerage's own fields and where each lives in each system (src/config/fields.ts). */
    fields: FieldsConfig,
    dedupe: z._default(
      z.object({
        autoMergeAbove: z.optional(z.number().check(z.gte(0), z.lte(1))),
        threshold: z._default(z.number().check(z.gte(0), z.lte(1)), 0.85),
      }),
      { threshold: 0.85 },
    ),
  })
  .check(
    z.superRefine((c, ctx) => {
      const ids = new Set<string>();
      c.connections.forEach((x, i) => {
        if (ids.has(x.id))
          ctx.addIssue({ code: "custom", path: ["connections", i, "id"], message: `'${x.id}' is the id of another connection` });
        ids.add(x.id);
      });
      // A retention under a name no source has would match nothing: that source's data kept for ever.
      for (const source of Object.keys(c.retentionDays))
        if (!SystemName.safeParse(source).success)
          ctx.addIssue({
            code: "custom",
            path: ["retentionDays", source],
            message: `'${source}' is not a source (${SystemName.options.join(", ")})`,
          });
      for (const key of ["crm", "tms", "accounting", "mls"] as const) {
        const id = c[key];
        if (id !== undefined && !ids.has(id)) ctx.addIssue({ code: "custom", path: [key], message: `names no connection '${id}'` });
      }
      const kinds = { crm: ["followupboss", "liondesk"], tms: ["dotloop", "skyslope"], accounting: ["quickbooks"], mls: ["reso"] } as const;
      for (const key of ["crm", "tms", "accounting", "mls"] as const) {
        const conn = c.connections.find((x) => x.id === c[key]);
        if (conn && !(kinds[key] as readonly string[]).includes(conn.vendor)) {
          ctx.addIssue({ code: "custom", path: [key], message: `'${conn.id}' is a ${conn.vendor} connection, not a ${key}` });
        }
      }
      for (const vendor of Object.keys(c.stages)) {
        if (!VendorName.safeParse(vendor).success)
          ctx.addIssue({
            code: "custom",
            path: ["stages", vendor],
            message: `'${vendor}' is not a vendor (${VendorName.options.join(", ")})`,
          });
      }
      for (const [name, decl] of Object.entries(c.fields)) {
        for (const p of fieldProblems(decl)) ctx.addIssue({ code: "custom", path: ["fields", name, ...p.path], message: p.message });
        // The CRM deal's link to its transaction is the hub's own.
        if (decl.followupboss?.deal === c.transactionIdField)
          ctx.addIssue({ code: "custom", path: ["fields", name, "followupboss", "deal"], message: "is the transactionIdField" });
      }
      for (const p of sharedPlaces(c.fields)) ctx.addIssue({ code: "custom", path: ["fields", ...p.path], message: p.message });
      for (const p of ownershipProblems(c.ownership, Object.keys(c.fields)))
        ctx.addIssue({ code: "custom", path: ["ownership", p.field], message: p.message });
      c.connections.forEach((conn, i) => {
        if (conn.vendor !== "reso") return;
        // An MLS issues either a bearer token or OAuth2 client credentials for its token endpoint.
        const { bearerToken, clientId, clientSecret } = conn.credentials;
        if (!bearerToken && !(clientId && clientSecret)) {
          ctx.addIssue({
            code: "custom",
            path: ["connections", i, "credentials"],
            message: "a reso connection needs bearerToken, or clientId and clientSecret",
          });
        } else if (!bearerToken && !conn.tokenUrl) {
          ctx.addIssue({
            code: "custom",
            path: ["connections", i, "tokenUrl"],
            message: "client credentials need the MLS's OAuth2 token URL",
          });
        }
      });
    }),
  );
export type BrokerageConfig = z.infer<typeof BrokerageConfig>;
