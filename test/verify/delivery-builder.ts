// Builds a validly signed delivery for any scheme, so each test can change exactly one thing.
import { signWebhook, verifyWebhook } from "../../src/verify";
import type { SchemeConfig, VerifyResult } from "../../src/verify";

export const NOW = 1_750_000_000;
export const BODY = '{"type":"contact.created","data":{"id":"c_1","name":"Zoë Ågren"}}';

/** Everything verifyWebhook receives; tests mutate one field and verify. */
export interface Delivery {
  scheme: SchemeConfig;
  secret: string | readonly string[];
  headers: Record<string, string>;
  body: string | Uint8Array;
  now: number;
  toleranceSeconds?: number;
}

/** Secrets in the form each scheme's vendor issues them. */
export const SECRETS = {
  "standard-webhooks": ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"],
  svix: ["whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
  github: ["It's a Secret to Everybody", "second github secret"],
  stripe: ["whsec_stripe_test_secret", "whsec_stripe_rotated"],
  quickbooks: ["dev-qbo-verifier-token", "rotated-qbo-verifier-token"],
  docusign: ["dev-docusign-connect-key", "second-connect-key"],
  followupboss: ["dev-fub-system-key", "rotated-fub-system-key"],
  dotloop: ["dev-dotloop-signing-key", "rotated-dotloop-signing-key"],
} as const;

export type Preset = keyof typeof SECRETS;

export interface BuildOptions {
  scheme?: SchemeConfig;
  /** Secret(s) the sender signs with; defaults to the preset's first secret. */
  signWith?: string | readonly string[];
  body?: string | Uint8Array;
  id?: string;
  timestamp?: number | string;
}

/** A delivery signed "now" that the preset's first secret verifies. */
export async function validDelivery(preset: Preset, opts: BuildOptions = {}): Promise<Delivery> {
  const scheme = opts.scheme ?? preset;
  const body = opts.body ?? BODY;
  const secret = SECRETS[preset][0];
  const headers = await signWebhook(scheme, {
    secret: opts.signWith ?? secret,
    body,
    id: opts.id ?? "msg_2mXzWq7H1cB0",
    timestamp: opts.timestamp ?? NOW,
  });
  return { scheme, secret, headers, body, now: NOW };
}

export function verify(d: Delivery): Promise<VerifyResult> {
  return verifyWebhook(d);
}

/** The body with one byte changed (the last one, so JSON shape does not matter). */
export function flipLastByte(body: string | Uint8Array): Uint8Array {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : new Uint8Array(body);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
  return bytes;
}

/** The headers without the one named (case-insensitively). */
export function without(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== name.toLowerCase()));
}

/** The headers with one value replaced (the name matched case-insensitively). */
export function withHeader(headers: Record<string, string>, name: string, value: string): Record<string, string> {
  return { ...without(headers, name), [name]: value };
}

/** The value of a header, by case-insensitive name; throws if absent (a broken builder). */
export function header(headers: Record<string, string>, name: string): string {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (hit === undefined) throw new Error(`builder produced no ${name} header`);
  return hit[1];
}
