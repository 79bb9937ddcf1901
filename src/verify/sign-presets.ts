/** One signing helper per named scheme, for the sandbox and tests (thin wrappers on signWebhook). */
import type { Secrets } from "./delivery-input";
import { signWebhook } from "./sign-webhook";

type Body = string | Uint8Array;

/** `webhook-id/-timestamp/-signature` (or the `svix-*` family); timestamp in Unix seconds. */
export function signStandardWebhook(input: {
  secret: Secrets;
  id: string;
  timestamp: number;
  body: Body;
  family?: "webhook" | "svix";
}): Promise<Record<string, string>> {
  return signWebhook(input.family === "svix" ? "svix" : "standard-webhooks", input);
}

/** `X-Hub-Signature-256: sha256=<hex>`, plus `X-GitHub-Delivery` when a delivery id is given. */
export function signGitHub(input: { secret: string; body: Body; delivery?: string }): Promise<Record<string, string>> {
  return signWebhook("github", { secret: input.secret, body: input.body, id: input.delivery });
}

/** `Stripe-Signature: t=<timestamp>,v1=<hex>[,v1=...]`, one v1 per secret. */
export function signStripe(input: { secret: Secrets; timestamp: number; body: Body }): Promise<Record<string, string>> {
  return signWebhook("stripe", input);
}

/** `FUB-Signature`, keyed by the X-System-Key; `message` picks the reading (default base64-body). */
export function signFollowUpBoss(input: {
  secret: string;
  body: Body;
  message?: "base64-body" | "raw-body";
}): Promise<Record<string, string>> {
  return signWebhook({ kind: "followupboss", message: input.message ?? "base64-body" }, input);
}

/** `X-DOTLOOP-SIGNATURE` + `X-DOTLOOP-TIMESTAMP` (pass the timestamp as Dotloop sends it, ms or s). */
export function signDotloop(input: {
  secret: string;
  body: Body;
  timestamp: number | string;
  signed?: "body" | "timestamp.body";
}): Promise<Record<string, string>> {
  return signWebhook({ kind: "dotloop", signed: input.signed ?? "body" }, input);
}

/** `intuit-signature`, keyed by the app's verifier token. */
export function signQuickBooks(input: { secret: string; body: Body }): Promise<Record<string, string>> {
  return signWebhook("quickbooks", input);
}

/** `X-DocuSign-Signature-1..N`, one per Connect key given. */
export function signDocuSign(input: { secret: Secrets; body: Body }): Promise<Record<string, string>> {
  return signWebhook("docusign", input);
}
