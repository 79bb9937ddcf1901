/**
 * How each vendor signs the webhooks it sends. Headers are computed when a delivery is made
 * (or listed in the outbox), so a retry carries a fresh timestamp like the real senders.
 */
import { fromBase64, toBase64, toHex, utf8 } from "../lib/bytes";
import { hmac } from "../lib/crypto";

export type SignSpec =
  /** Standard Webhooks v1: base64 HMAC-SHA256 of `id.ts.body`, key = base64-decoded whsec_. */
  | { scheme: "standard-webhooks"; secret: string; msgId: string }
  /** FUB: hex HMAC-SHA256 of base64(body), key = the registering system's X-System-Key. */
  | { scheme: "followupboss"; key: string }
  /**
   * Dotloop: hex HMAC-SHA1 keyed by the subscription's signingKey (if any), of the raw body or of
   * `timestamp.body` (clients disagree); `firstAt` set = every retry keeps the first timestamp.
   */
  | { scheme: "dotloop"; key: string | null; signed?: "body" | "timestamp.body"; firstAt?: number }
  /** QuickBooks: base64 HMAC-SHA256 of the body keyed by the app's verifier token. */
  | { scheme: "quickbooks"; key: string; tid: string }
  /** DocuSign Connect: base64 HMAC-SHA256 of the body, one header per Connect key. */
  | { scheme: "docusign"; key: string };

/** The signature (and related) headers of `body` sent at `nowMs`. */
export async function signHeaders(spec: SignSpec, body: string, nowMs: number): Promise<Record<string, string>> {
  switch (spec.scheme) {
    case "standard-webhooks": {
      const ts = String(Math.floor(nowMs / 1000));
      const key = fromBase64(spec.secret.replace(/^whsec_/, "")) ?? utf8(spec.secret);
      const sig = toBase64(await hmac("SHA-256", key, `${spec.msgId}.${ts}.${body}`));
      return { "webhook-id": spec.msgId, "webhook-timestamp": ts, "webhook-signature": `v1,${sig}` };
    }
    case "followupboss":
      return { "FUB-Signature": toHex(await hmac("SHA-256", spec.key, toBase64(utf8(body)))) };
    case "dotloop": {
      const ts = String(spec.firstAt ?? nowMs);
      const headers: Record<string, string> = { "X-DOTLOOP-TIMESTAMP": ts };
      const signed = spec.signed === "timestamp.body" ? `${ts}.${body}` : body;
      if (spec.key !== null) headers["X-DOTLOOP-SIGNATURE"] = toHex(await hmac("SHA-1", spec.key, signed));
      return headers;
    }
    case "quickbooks":
      return {
        "intuit-signature": toBase64(await hmac("SHA-256", spec.key, body)),
        "intuit-created-time": new Date(nowMs).toISOString(),
        "intuit-t-id": spec.tid,
        "intuit-notification-schema-version": "0.1",
      };
    case "docusign":
      return { "X-DocuSign-Signature-1": toBase64(await hmac("SHA-256", spec.key, body)) };
  }
}
