import { SourceName } from "../canonical/primitives";
import { BoundedCache } from "../lib/bounded-cache";
import { parseSchemeOverrides, type SchemeConfig } from "../verify";

/** Lead sources sign with Standard Webhooks unless configured otherwise (WEBHOOK_SCHEMES). */
const DEFAULT_SCHEMES: Record<SourceName, SchemeConfig> = {
  standard: "standard-webhooks",
  zillow: "standard-webhooks",
  realtor: "standard-webhooks",
  idx: "standard-webhooks",
  followupboss: "followupboss",
  dotloop: "dotloop",
  quickbooks: "quickbooks",
  docusign: "docusign",
  // RESO's webhook push proposal leaves signing to the MLS; Standard Webhooks unless configured.
  reso: "standard-webhooks",
};

/** Whether `s` names a webhook source the hub accepts at POST /hooks/:source. */
export function isSourceName(s: string): s is SourceName {
  return (SourceName.options as readonly string[]).includes(s);
}

export type SchemeTable = { ok: true; schemes: Record<SourceName, SchemeConfig> } | { ok: false; detail: string };

// Parsed once per isolate (per distinct value), not per request.
let cached: { raw: string; table: SchemeTable } | undefined;

/** The signature scheme of every source: defaults overlaid with WEBHOOK_SCHEMES. */
export function schemeTable(raw: string | undefined): SchemeTable {
  const text = raw?.trim() || "{}";
  if (cached?.raw === text) return cached.table;
  let table: SchemeTable;
  try {
    const parsed = parseSchemeOverrides(JSON.parse(text));
    if (!parsed.ok) {
      table = { ok: false, detail: parsed.errors.map((e) => `WEBHOOK_SCHEMES.${e.path}: ${e.message}`).join("; ") };
    } else {
      const unknown = Object.keys(parsed.value).filter((k) => !isSourceName(k));
      table = unknown.length
        ? { ok: false, detail: `WEBHOOK_SCHEMES names unknown sources: ${unknown.join(", ")}` }
        : { ok: true, schemes: { ...DEFAULT_SCHEMES, ...parsed.value } };
    }
  } catch {
    table = { ok: false, detail: "WEBHOOK_SCHEMES is not valid JSON" };
  }
  cached = { raw: text, table };
  return table;
}

/**
 * A source's signing secret(s) from the Worker secret WEBHOOK_SECRET_<SOURCE>. Several secrets,
 * separated by spaces or commas, are all accepted (key rotation; DocuSign's several HMAC keys).
 */
export function sourceSecrets(env: Env, source: SourceName): readonly string[] {
  const raw = (env as unknown as Record<string, unknown>)[SECRET_NAMES[source]];
  return typeof raw === "string" ? secretLists.get(raw, () => raw.split(/[\s,]+/).filter((s) => s.length > 0)) : [];
}

/** The Worker secret holding each source's signing secret(s). */
export const SECRET_NAMES = Object.fromEntries(SourceName.options.map((s) => [s, `WEBHOOK_SECRET_${s.toUpperCase()}`])) as Record<
  SourceName,
  string
>;
// Every delivery reads its source's secrets; a secret only changes with a deploy, so the split
// list is kept per isolate, bounded as rotations come and go.
const secretLists = new BoundedCache<readonly string[]>(32);

/** Whether the hub can verify `source`'s deliveries: its scheme table parses and a secret is set. */
export function verifiable(env: Env, source: SourceName): boolean {
  return schemeTable(env.WEBHOOK_SCHEMES).ok && sourceSecrets(env, source).length > 0;
}

/** The key of the alert raised while deliveries from `source` cannot be verified. */
export const webhookConfigAlertKey = (source: SourceName): string => `webhook_misconfigured:${source}`;
