import { env } from "cloudflare:workers";
import { signWebhook, type SchemeConfig } from "../../../src/verify";

/** Every webhook source the hub accepts, in the order the corpus rotates through them. */
export const SOURCES = ["standard", "zillow", "realtor", "idx", "followupboss", "dotloop", "quickbooks", "docusign"] as const;
export type Source = (typeof SOURCES)[number];

/** The four lead sources that sign with Standard Webhooks. */
export const STANDARD_SOURCES = ["standard", "zillow", "realtor", "idx"] as const satisfies readonly Source[];

const SCHEMES: Record<Source, SchemeConfig> = {
  standard: "standard-webhooks",
  zillow: "standard-webhooks",
  realtor: "standard-webhooks",
  idx: "standard-webhooks",
  followupboss: "followupboss",
  dotloop: "dotloop",
  quickbooks: "quickbooks",
  docusign: "docusign",
};

/** The source's real signing secret, as the hub reads it (`WEBHOOK_SECRET_<SOURCE>`). */
export function secretOf(source: Source): string {
  const value = (env as unknown as Record<string, unknown>)[`WEBHOOK_SECRET_${source.toUpperCase()}`];
  if (typeof value !== "string" || value === "") throw new Error(`no secret for ${source}`);
  return value;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export interface SignOptions {
  /** Standard Webhooks delivery id (default: derived from `seq`). */
  id?: string;
  /** Written exactly as given; default now (seconds; milliseconds for Dotloop). */
  timestamp?: number | string;
  /** Sign with another secret (a forged or wrongly configured sender). */
  secret?: string;
  /** Sign as this scheme instead of the source's own (e.g. Dotloop's other reading). */
  scheme?: SchemeConfig;
}

/**
 * The headers of a delivery of `body` from `source`, signed exactly as the vendor signs it
 * (through the hub's own signer), content type included.
 */
export async function signedHeaders(source: Source, body: string | Uint8Array, opts: SignOptions = {}): Promise<Record<string, string>> {
  const scheme = opts.scheme ?? SCHEMES[source];
  const standard = STANDARD_SOURCES.includes(source as (typeof STANDARD_SOURCES)[number]);
  const timestamp = opts.timestamp ?? (source === "dotloop" ? nowSeconds() * 1000 : nowSeconds());
  const headers = await signWebhook(scheme, {
    secret: opts.secret ?? secretOf(source),
    body,
    ...(standard ? { id: opts.id ?? "msg_bad_input", timestamp } : {}),
    ...(source === "dotloop" ? { timestamp } : {}),
  });
  return { "content-type": "application/json", ...headers };
}

/** Header pairs from a record, for a case's ordered header list. */
export function pairs(headers: Readonly<Record<string, string>>): Array<readonly [string, string]> {
  return Object.entries(headers);
}

/** A copy of `headers` without the named ones (case-insensitive). */
export function without(headers: Readonly<Record<string, string>>, ...names: string[]): Record<string, string> {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !drop.has(k.toLowerCase())));
}
