import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import { sourceSecrets } from "../config/sources";
import { planRegistrations, type Desired, type Registration, type RegistrationAction } from "../flows/webhook-registration";
import type { Result } from "../lib/result";
import { log } from "../lib/log";
import { DotloopTms } from "../vendors/dotloop/tms";
import {
  createDotloopSubscription,
  deleteDotloopSubscription,
  DOTLOOP_HOOK_EVENTS,
  listDotloopSubscriptions,
  subscriptionKey,
  updateDotloopSubscription,
} from "../vendors/dotloop/subscriptions";
import { createFubWebhook, deleteFubWebhook, FUB_HOOK_EVENTS, listFubWebhooks, updateFubWebhook } from "../vendors/followupboss/webhooks";
import { connectionFor } from "../vendors/registry";
import type { Connection } from "../vendors/shared/transport";
import { failureLabel } from "../lib/failures";

/** One action as carried out (or, in a dry run, as it would be). */
export type AppliedAction = RegistrationAction & { done: boolean; error?: string };

export type VendorSync = {
  vendor: string;
  connection: string;
  url: string;
  actions: AppliedAction[];
  /** Why the registrations could not be read or changed; the sync of other vendors goes on. */
  error?: { code: string; message: string };
};

/** Vendors that take webhook settings only in their own console: what to enter there. */
export type ConsoleStep = { vendor: string; where: string; url: string; events: string[]; settings: string[] };

export type WebhookReport = { hubUrl: string; dryRun: boolean; vendors: VendorSync[]; consoles: ConsoleStep[] };

type Api = {
  source: string;
  shape: Desired["shape"];
  events: string[];
  /** The tag of the signing key the vendor should hold, for a vendor given one per registration. */
  key?: (env: Env) => Promise<string>;
  list(conn: Connection): Promise<Result<Registration[]>>;
  apply(conn: Connection, env: Env, a: RegistrationAction): Promise<Result<unknown>>;
};

const APIS: Partial<Record<ConnectionConfig["vendor"], Api>> = {
  followupboss: {
    source: "followupboss",
    shape: "per-event",
    events: FUB_HOOK_EVENTS,
    list: listFubWebhooks,
    async apply(conn, _env, a) {
      if (a.kind === "create") return createFubWebhook(conn, a.events[0] ?? "", a.url);
      if (a.kind === "update") return updateFubWebhook(conn, a.id, a.url);
      if (a.kind === "delete") return deleteFubWebhook(conn, a.id);
      return { ok: true, value: null };
    },
  },
  dotloop: {
    source: "dotloop",
    shape: "single",
    events: DOTLOOP_HOOK_EVENTS,
    key: subscriptionKey,
    list: listDotloopSubscriptions,
    async apply(conn, env, a) {
      // Dotloop signs each delivery with the subscription's key: the hub's own secret.
      const signingKey = sourceSecrets(env, "dotloop")[0] ?? "";
      if (a.kind === "create") {
        const profile = await new DotloopTms(conn).profileId();
        if (!profile.ok) return profile;
        return createDotloopSubscription(conn, { url: a.url, eventTypes: a.events, signingKey, profileId: profile.value });
      }
      if (a.kind === "update") return updateDotloopSubscription(conn, a.id, { url: a.url, eventTypes: a.events, signingKey });
      if (a.kind === "delete") return deleteDotloopSubscription(conn, a.id);
      return { ok: true, value: null };
    },
  },
};

/** The active connections whose vendor lets the hub register its own webhooks. */
function registrable(config: BrokerageConfig): ConnectionConfig[] {
  const ids = [config.crm, config.tms].filter((x): x is string => typeof x === "string");
  return config.connections.filter((c) => ids.includes(c.id) && APIS[c.vendor] !== undefined);
}

function consoleSteps(config: BrokerageConfig, hubUrl: string): ConsoleStep[] {
  const steps: ConsoleStep[] = [];
  const accounting = config.connections.find((c) => c.id === config.accounting);
  if (accounting?.vendor === "quickbooks") {
    steps.push({
      vendor: "quickbooks",
      where: "Intuit Developer portal → your app → Webhooks (production keys)",
      url: `${hubUrl}/hooks/quickbooks`,
      events: ["Invoice", "SalesReceipt", "Customer"],
      settings: ["copy the app's Verifier Token into the WEBHOOK_SECRET_QUICKBOOKS secret"],
    });
  }
  steps.push({
    vendor: "docusign",
    where: "DocuSign eSignature Admin → Connect → Add Configuration (Custom)",
    url: `${hubUrl}/hooks/docusign`,
    events: ["envelope-completed", "recipient-completed"],
    settings: [
      "Data format: REST v2.1 (JSON), event message delivery mode: SIM",
      "Include HMAC signature, with a key copied into the WEBHOOK_SECRET_DOCUSIGN secret",
      "Include data: Recipients (the hub notes who signed)",
    ],
  });
  return steps;
}

async function syncOne(env: Env, conn: ConnectionConfig, api: Api, hubUrl: string, dryRun: boolean): Promise<VendorSync> {
  const url = `${hubUrl}/hooks/${api.source}`;
  const connection = connectionFor(env, conn);
  const out: VendorSync = { vendor: conn.vendor, connection: conn.id, url, actions: [] };
  const current = await api.list(connection);
  if (!current.ok) {
    out.error = { code: failureLabel(current.error), message: current.error.message };
    return out;
  }
  for (const action of planRegistrations({ url, events: api.events, shape: api.shape, key: await api.key?.(env) }, current.value)) {
    if (dryRun || action.kind === "keep") {
      out.actions.push({ ...action, done: action.kind === "keep" });
      continue;
    }
    const r = await api.apply(connection, env, action);
    out.actions.push(r.ok ? { ...action, done: true } : { ...action, done: false, error: `${failureLabel(r.error)}: ${r.error.message}` });
  }
  return out;
}

/**
 * Brings each vendor's webhook registrations in line with this hub's URL: creates what is
 * missing, repoints the hub's registrations that name another URL, removes the hub's extras, and
 * leaves every other integration's registrations alone. `only` limits it to one connection.
 */
export async function syncWebhooks(env: Env, hubUrl: string, opts: { dryRun?: boolean; only?: string } = {}): Promise<WebhookReport> {
  const config = brokerageConfig(env);
  const base = hubUrl.replace(/\/+$/, "");
  const dryRun = opts.dryRun ?? false;
  const vendors: VendorSync[] = [];
  for (const conn of registrable(config)) {
    const api = APIS[conn.vendor];
    if (!api || (opts.only && conn.id !== opts.only)) continue;
    const r = await syncOne(env, conn, api, base, dryRun);
    const failed = r.error ?? r.actions.find((a) => a.error);
    if (failed) log("warn", "webhook_sync_failed", { vendor: r.vendor, connection: r.connection, code: r.error?.code ?? "action_failed" });
    vendors.push(r);
  }
  return { hubUrl: base, dryRun, vendors, consoles: consoleSteps(config, base) };
}
