/**
 * The named schemes, written as declarative HMAC data: nothing below is code a brokerage could
 * not also put in its own JSON configuration.
 */
import type { HmacScheme, SchemeConfig, SchemeName } from "./scheme-config";

const STANDARD_HEADERS = {
  webhook: { id: "webhook-id", timestamp: "webhook-timestamp", signature: "webhook-signature" },
  svix: { id: "svix-id", timestamp: "svix-timestamp", signature: "svix-signature" },
} as const;

// Standard Webhooks and Svix are one algorithm under two header families; both presets accept
// either family and differ only in which one the signer writes (the first name listed).
function standardWebhooks(first: "webhook" | "svix"): HmacScheme {
  const [a, b] =
    first === "webhook" ? [STANDARD_HEADERS.webhook, STANDARD_HEADERS.svix] : [STANDARD_HEADERS.svix, STANDARD_HEADERS.webhook];
  return {
    kind: "hmac",
    header: [a.signature, b.signature],
    algorithm: "SHA-256",
    encoding: "base64",
    signedContent: "{id}.{timestamp}.{body}",
    timestampHeader: [a.timestamp, b.timestamp],
    idHeader: [a.id, b.id],
    secretEncoding: "whsec",
    list: { separator: " ", assign: ",", signatureKey: "v1" },
  };
}

/** Every named scheme with its default options, as data. */
export const SCHEME_PRESETS = {
  "standard-webhooks": standardWebhooks("webhook"),
  svix: standardWebhooks("svix"),
  // GitHub does not sign X-GitHub-Delivery: it is written by the signer but never read as an id.
  github: {
    kind: "hmac",
    header: "X-Hub-Signature-256",
    algorithm: "SHA-256",
    encoding: "hex",
    prefix: "sha256=",
    idHeader: "X-GitHub-Delivery",
  },
  stripe: {
    kind: "hmac",
    header: "Stripe-Signature",
    algorithm: "SHA-256",
    encoding: "hex",
    signedContent: "{timestamp}.{body}",
    list: { separator: ",", assign: "=", signatureKey: "v1", timestampKey: "t" },
  },
  quickbooks: { kind: "hmac", header: "intuit-signature", algorithm: "SHA-256", encoding: "base64" },
  // One header per active Connect key; the secret list holds every key.
  docusign: { kind: "hmac", header: "X-DocuSign-Signature-{n}", algorithm: "SHA-256", encoding: "base64" },
  followupboss: followUpBoss("base64-body"),
  dotloop: dotloop("body"),
} as const satisfies Record<SchemeName, HmacScheme>;

function followUpBoss(message: "base64-body" | "raw-body"): HmacScheme {
  return {
    kind: "hmac",
    header: "FUB-Signature",
    algorithm: "SHA-256",
    encoding: "hex",
    signedContent: message === "base64-body" ? "{body_base64}" : "{body}",
  };
}

// No official text says what Dotloop signs; two of three public clients sign the body alone. So
// by default X-DOTLOOP-TIMESTAMP travels unsigned and the verifier ignores it (it would bound a
// replay window anyone can rewrite); only the "timestamp.body" reading binds it to the window.
function dotloop(signed: "body" | "timestamp.body"): HmacScheme {
  return {
    kind: "hmac",
    header: "X-DOTLOOP-SIGNATURE",
    algorithm: "SHA-1",
    encoding: "hex",
    signedContent: signed === "body" ? "{body}" : "{timestamp}.{body}",
    timestampHeader: "X-DOTLOOP-TIMESTAMP",
    timestampUnit: "auto",
  };
}

/** Resolves any scheme configuration to the declarative HMAC it stands for. */
export function resolveScheme(scheme: SchemeConfig): HmacScheme {
  if (typeof scheme === "string") return SCHEME_PRESETS[scheme];
  switch (scheme.kind) {
    case "hmac":
      return scheme;
    case "followupboss":
      return followUpBoss(scheme.message ?? "base64-body");
    case "dotloop":
      return dotloop(scheme.signed ?? "body");
    default:
      return SCHEME_PRESETS[scheme.kind];
  }
}
