// Every published vector in shared/data/webhook_signature_vectors, driven from the file itself.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import file from "../../../../shared/data/webhook_signature_vectors/vectors.json";
import { signGitHub, signQuickBooks, signStandardWebhook, signStripe, verifyWebhook } from "../../../src/verify";
import type { SchemeName, VerifyErrorCode } from "../../../src/verify";

// The file's scheme names → ours. An unknown name fails the parse below instead of being skipped.
const SCHEMES = {
  "standard-webhooks": "standard-webhooks",
  svix: "svix",
  "github-x-hub-signature-256": "github",
  stripe: "stripe",
  "quickbooks-intuit-signature": "quickbooks",
} as const satisfies Record<string, SchemeName>;

const VectorSchema = v.object({
  id: v.string(),
  scheme: v.picklist(Object.keys(SCHEMES) as Array<keyof typeof SCHEMES>),
  secret: v.string(),
  headers: v.record(v.string(), v.string()),
  body: v.nullable(v.string()),
  body_repeat: v.optional(v.object({ char: v.string(), count: v.number() })),
  now: v.optional(v.number()),
  tolerance_seconds: v.nullable(v.number()),
  expected_valid: v.boolean(),
});
const vectors = v.parse(v.array(VectorSchema), file.vectors);

// Schemes without a timestamp ignore the clock; any fixed value will do.
const NO_TIMESTAMP_CLOCK = 1_700_000_000;

function bodyOf(vec: v.InferOutput<typeof VectorSchema>): string {
  if (vec.body !== null) return vec.body;
  if (vec.body_repeat === undefined) throw new Error(`${vec.id}: neither body nor body_repeat`);
  return vec.body_repeat.char.repeat(vec.body_repeat.count);
}

function verifyVector(vec: v.InferOutput<typeof VectorSchema>) {
  return verifyWebhook({
    scheme: SCHEMES[vec.scheme],
    secret: vec.secret,
    headers: vec.headers,
    body: bodyOf(vec),
    now: vec.now ?? NO_TIMESTAMP_CLOCK,
    ...(vec.tolerance_seconds !== null ? { toleranceSeconds: vec.tolerance_seconds } : {}),
  });
}

// Why some invalid vectors are invalid, as the caller will see it (status 401 either way).
const EXPECTED_CODES: Record<string, VerifyErrorCode> = {
  "sw-20-missing-webhook-signature": "signature_missing",
  "sw-20-missing-webhook-id": "signature_missing",
  "sw-20-missing-webhook-timestamp": "timestamp_invalid",
  "sw-21-non-numeric-timestamp": "timestamp_invalid",
  "stripe-02-outdated": "timestamp_stale",
  "stripe-03-tampered": "signature_invalid",
  "sw-12-published-invalid-signature": "signature_invalid",
};

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function vectorSuite(): void {
  describe("published signature vectors", () => {
    it("covers every scheme of the file, valid and invalid", () => {
      expect(vectors.length).toBe(file.vectors.length);
      expect(new Set(vectors.map((x) => x.scheme))).toEqual(new Set(Object.keys(SCHEMES)));
      expect(vectors.some((x) => x.expected_valid)).toBe(true);
      expect(vectors.some((x) => !x.expected_valid)).toBe(true);
    });

    for (const vec of vectors.filter((x) => x.expected_valid)) {
      it(`accepts ${vec.id}`, async () => {
        const result = await verifyVector(vec);
        expect(result).toMatchObject({ ok: true });
        const id = vec.headers["webhook-id"] ?? vec.headers["svix-id"];
        if (id !== undefined) expect(result).toMatchObject({ id });
      });
    }

    for (const vec of vectors.filter((x) => !x.expected_valid)) {
      it(`rejects ${vec.id}`, async () => {
        const result = await verifyVector(vec);
        expect(result.ok).toBe(false);
        const code = EXPECTED_CODES[vec.id];
        if (code !== undefined) expect(result).toMatchObject({ ok: false, code });
      });
    }
  });

  // The signers must reproduce the providers' own signatures, not merely agree with our verifier.
  describe("signers reproduce the published signatures", () => {
    const valid = (id: string) => {
      const vec = vectors.find((x) => x.id === id);
      if (vec === undefined) throw new Error(`vector ${id} missing from the file`);
      return vec;
    };

    it("Standard Webhooks (sw-01) and Svix (svix-01)", async () => {
      for (const id of ["sw-01-published-valid", "svix-01-published-valid"]) {
        const vec = valid(id);
        const headers = await signStandardWebhook({
          secret: vec.secret,
          id: vec.headers["webhook-id"] ?? "",
          timestamp: Number(vec.headers["webhook-timestamp"]),
          body: bodyOf(vec),
        });
        expect(headers).toEqual(vec.headers);
      }
    });

    it("GitHub (gh-01)", async () => {
      const vec = valid("gh-01-published-valid");
      expect(await signGitHub({ secret: vec.secret, body: bodyOf(vec) })).toEqual(vec.headers);
    });

    it("Stripe (stripe-01): the v1 entry", async () => {
      const vec = valid("stripe-01-published-valid");
      const published = vec.headers["Stripe-Signature"] ?? "";
      const t = Number(/t=(\d+)/.exec(published)?.[1]);
      const ours = await signStripe({ secret: vec.secret, timestamp: t, body: bodyOf(vec) });
      expect(published.startsWith(ours["Stripe-Signature"] ?? "missing")).toBe(true);
    });

    it("QuickBooks (qbo-01)", async () => {
      const vec = valid("qbo-01-published-valid");
      expect(await signQuickBooks({ secret: vec.secret, body: bodyOf(vec) })).toEqual(vec.headers);
    });
  });
}
