import * as z from "zod";
import { RetryPolicy } from "../queues/retry-policy";
import { MAX_PERMIT_WAIT_MS, MAX_VENDOR_TIMEOUT_MS } from "./call-bounds";
import { fieldProblems, FieldsConfig, sharedPlaces } from "./fields";

export const VendorName = z.enum(["followupboss", "liondesk", "dotloop", "skyslope", "quickbooks", "reso"]);
export type VendorName = z.infer<typeof VendorName>;

const Window = z.object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() });

const Limits = z.object({
  windows: z.array(Window).min(1),
  maxInFlight: z.number().int().positive().optional(),
  /** Fraction of each published limit the hub allows itself (default 0.95). */
  safety: z.number().min(0.5).max(1).optional(),
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
    .array(z.enum(["Property", "Member", "Office"]))
    .min(1)
    .default(["Property"])
    .refine((r) => r.includes("Property"), "resources must include Property (the listings)"),
  filter: z.string().min(1).max(2000).optional(),
  pageSize: z.number().int().min(1).max(5000).default(1000),
  keysEveryMinutes: z.number().int().min(60).max(10_080).default(1440),
  notifyInquirers: z.boolean().default(false),
});
export type ResoOptions = z.infer<typeof ResoOptions>;

/** A vendor account the hub acts for. Values may be `${VAR}` references to vars and secrets. */
export const ConnectionConfig = z.object({
  id: z.string().regex(/^[a-z]+:[a-z0-9._-]+$/, "use <vendor>:<name>, lowercase"),
  vendor: VendorName,
  baseUrl: z.url(),
  authUrl: z.url().optional(),
  tokenUrl: z.url().optional(),
  credentials: z.record(z.string(), z.string()).default({}),
  limits: Limits.extend({
    /**
     * Budgets of endpoint groups the vendor meters apart (Follow Up Boss contexts such as
     * `POST.events`), by the context names the vendor's dialect gives requests. `null`: unmetered.
     */
    contexts: z.record(z.string(), Limits.nullable()).default({}),
  }),
  retry: RetryPolicy.optional(),
  timeoutMs: z.number().int().min(1_000).max(MAX_VENDOR_TIMEOUT_MS).default(15_000),
  /** A permit wait longer than this sends the message back to its queue instead of holding a Worker. */
  maxWaitMs: z.number().int().min(0).max(MAX_PERMIT_WAIT_MS).default(3_000),
  /**
   * Whether the OAuth connect flow sends PKCE (S256). Unset: what the vendor publishes (neither
   * Dotloop nor QuickBooks documents PKCE support, so off); set true once the vendor confirms it.
   */
  pkce: z.boolean().optional(),
  /** For per-agent connections (Dotloop tokens belong to an agent). */
  agent: z.object({ email: z.email().optional(), name: z.string().optional(), profileId: z.string().optional() }).optional(),
  /** Backup polling interval; the cron runs every 5 minutes and skips connections not yet due. */
  pollMinutes: z.number().int().min(5).max(60).default(15),
  /** An MLS connection's replication settings (vendor `reso`). */
  reso: ResoOptions.optional(),
});
export type ConnectionConfig = z.infer<typeof ConnectionConfig>;

const InternalStage = z.enum(["lead", "active", "showing", "offer", "under_contract", "closed", "cancelled", "archived"]);

const RoutingRule = z.object({
  agent: z.string().min(1),
  zips: z.array(z.string().regex(/^\d{5}$/)).optional(),
  minPriceCents: z.number().int().min(0).optional(),
  maxPriceCents: z.number().int().min(0).optional(),
  sources: z.array(z.string()).optional(),
});

/** A brokerage's choices: which systems are active and how they map onto each other. */
export const BrokerageConfig = z
  .object({
    connections: z.array(ConnectionConfig).min(1),
    crm: z.string(),
    tms: z.string().optional(),
    accounting: z.string().optional(),
    /** The MLS connection (vendor `reso`) whose listings the hub replicates. */
    mls: z.string().optional(),
    /**
     * Vendor stage/status names → internal stages, per vendor (followupboss, dotloop, skyslope,
     * liondesk). A vendor's own map is read first; a status it does not list falls back to the
     * vendor's published statuses (src/normalize/status.ts).
     */
    stages: z.record(z.string(), z.record(z.string(), InternalStage)).default({}),
    /** The CRM deal stage (vendor name) that creates the transaction in the TMS. */
    triggerStage: z.string().default("Under Contract"),
    /** The CRM deal custom field that receives the TMS id. */
    transactionIdField: z.string().default("customTransactionID"),
    routing: z
      .object({ enabled: z.boolean().default(false), rules: z.array(RoutingRule).default([]), roundRobin: z.array(z.string()).default([]) })
      .default({ enabled: false, rules: [], roundRobin: [] }),
    /** Field → the system that owns it; fields not listed go to the most recent change. */
    ownership: z.record(z.string(), z.string()).default({}),
    accountingDocument: z
      .object({
        kind: z.enum(["invoice", "salesreceipt"]).default("invoice"),
        itemRef: z.string().default("1"),
        agentBills: z.boolean().default(false),
        expenseAccountRef: z.string().default("7"),
      })
      .default({ kind: "invoice", itemRef: "1", agentBills: false, expenseAccountRef: "7" }),
    /**
     * Days to keep raw vendor payloads, per source; absent means keep. At least one day: 0 would
     * purge deliveries before they were processed (leave the source out to keep its data).
     */
    retentionDays: z.record(z.string(), z.number().int().min(1, "must be at least 1 day; leave the source out to keep its data")).default({}),
    /** The retry ladder of failures no connection claims (a connection's own `retry` wins). */
    retry: RetryPolicy.optional(),
    alerts: z.object({ minIntervalSeconds: z.number().int().min(0).default(900) }).default({ minIntervalSeconds: 900 }),
    /** The brokerage's own fields and where each lives in each system (src/config/fields.ts). */
    fields: FieldsConfig,
    dedupe: z.object({ autoMergeAbove: z.number().min(0).max(1).optional(), threshold: z.number().min(0).max(1).default(0.85) }).default({ threshold: 0.85 }),
  })
  .superRefine((c, ctx) => {
    const ids = new Set(c.connections.map((x) => x.id));
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
      if (!VendorName.safeParse(vendor).success) ctx.addIssue({ code: "custom", path: ["stages", vendor], message: `'${vendor}' is not a vendor (${VendorName.options.join(", ")})` });
    }
    for (const [name, decl] of Object.entries(c.fields)) {
      for (const p of fieldProblems(decl)) ctx.addIssue({ code: "custom", path: ["fields", name, ...p.path], message: p.message });
    }
    for (const p of sharedPlaces(c.fields)) ctx.addIssue({ code: "custom", path: ["fields", ...p.path], message: p.message });
    c.connections.forEach((conn, i) => {
      if (conn.vendor !== "reso") return;
      // An MLS issues either a bearer token or OAuth2 client credentials for its token endpoint.
      const { bearerToken, clientId, clientSecret } = conn.credentials;
      if (!bearerToken && !(clientId && clientSecret)) {
        ctx.addIssue({ code: "custom", path: ["connections", i, "credentials"], message: "a reso connection needs bearerToken, or clientId and clientSecret" });
      } else if (!bearerToken && !conn.tokenUrl) {
        ctx.addIssue({ code: "custom", path: ["connections", i, "tokenUrl"], message: "client credentials need the MLS's OAuth2 token URL" });
      }
    });
  });
export type BrokerageConfig = z.infer<typeof BrokerageConfig>;
