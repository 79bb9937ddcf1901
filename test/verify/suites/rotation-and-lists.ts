// Several signatures per delivery (key rotation, DocuSign's several keys) and list parsing.
import { describe, expect, it, vi } from "vitest";
import { NOW, SECRETS, validDelivery, verify, without, withHeader } from "../delivery-builder";

const BAD_B64 = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
const BAD_HEX = "0".repeat(64);

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function rotationAndListSuite(): void {
  describe("Standard Webhooks signature list", () => {
    it("accepts a valid v1 among invalid ones", async () => {
      const d = await validDelivery("standard-webhooks");
      const good = d.headers["webhook-signature"] ?? "";
      const list = `v1,${BAD_B64} ${good} v1,${BAD_B64}`;
      expect(await verify({ ...d, headers: withHeader(d.headers, "webhook-signature", list) })).toMatchObject({ ok: true });
    });

    it("checks a list of hundreds of entries with one digest of the body per secret", async () => {
      const d = await validDelivery("standard-webhooks");
      const list = `${`v1,${BAD_B64} `.repeat(500)}${d.headers["webhook-signature"] ?? ""}`;
      const sign = vi.spyOn(crypto.subtle, "sign");
      const check = vi.spyOn(crypto.subtle, "verify");
      try {
        expect(await verify({ ...d, headers: withHeader(d.headers, "webhook-signature", list) })).toMatchObject({ ok: true });
        expect(sign.mock.calls.length + check.mock.calls.length).toBe(1);
      } finally {
        sign.mockRestore();
        check.mockRestore();
      }
    });

    it("rejects a list of only invalid v1 entries", async () => {
      const d = await validDelivery("standard-webhooks");
      const list = `v1,${BAD_B64} v1,${BAD_B64}`;
      const result = await verify({ ...d, headers: withHeader(d.headers, "webhook-signature", list) });
      expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("ignores a correct signature under another version (v2, v1a)", async () => {
      const d = await validDelivery("standard-webhooks");
      const sig = (d.headers["webhook-signature"] ?? "").slice("v1,".length);
      for (const version of ["v2", "v1a", "V1"]) {
        const result = await verify({ ...d, headers: withHeader(d.headers, "webhook-signature", `${version},${sig}`) });
        expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
      }
    });

    it("signs once per secret, and each secret alone verifies", async () => {
      const [a, b] = SECRETS["standard-webhooks"];
      const d = await validDelivery("standard-webhooks", { signWith: [a, b] });
      expect(d.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
      expect(await verify({ ...d, secret: a })).toMatchObject({ ok: true });
      expect(await verify({ ...d, secret: b })).toMatchObject({ ok: true });
    });

    it("rejects a changed id (the id is signed) and a missing one", async () => {
      const d = await validDelivery("standard-webhooks");
      const changed = await verify({ ...d, headers: withHeader(d.headers, "webhook-id", "msg_other") });
      expect(changed).toMatchObject({ ok: false, code: "signature_invalid" });
      const missing = await verify({ ...d, headers: without(d.headers, "webhook-id") });
      expect(missing).toMatchObject({ ok: false, code: "signature_missing" });
    });
  });

  describe("Stripe-Signature list", () => {
    it("accepts a valid v1 among invalid ones (rolled secret)", async () => {
      const d = await validDelivery("stripe");
      const header = (d.headers["Stripe-Signature"] ?? "").replace(",v1=", `,v1=${BAD_HEX},v1=`);
      expect(await verify({ ...d, headers: { "Stripe-Signature": header } })).toMatchObject({ ok: true });
    });

    it("ignores a correct signature given as v0", async () => {
      const d = await validDelivery("stripe");
      const header = (d.headers["Stripe-Signature"] ?? "").replace(",v1=", ",v0=");
      const result = await verify({ ...d, headers: { "Stripe-Signature": header } });
      expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("writes t= first and one v1 per secret", async () => {
      const d = await validDelivery("stripe", { signWith: SECRETS.stripe });
      expect(d.headers["Stripe-Signature"]).toMatch(new RegExp(`^t=${NOW},v1=[0-9a-f]{64},v1=[0-9a-f]{64}$`));
    });
  });

  describe("GitHub prefix", () => {
    it("rejects the right digest under a wrong or missing prefix", async () => {
      const d = await validDelivery("github");
      const hex = (d.headers["X-Hub-Signature-256"] ?? "").slice("sha256=".length);
      for (const value of [`sha1=${hex}`, hex, `sha256:${hex}`, `SHA256=${hex}`]) {
        const result = await verify({ ...d, headers: withHeader(d.headers, "X-Hub-Signature-256", value) });
        expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
      }
    });

    it("neither requires nor reports X-GitHub-Delivery (it is not signed)", async () => {
      const d = await validDelivery("github", { id: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
      expect(await verify(d)).toEqual({ ok: true });
      const bare = await verify({ ...d, headers: without(d.headers, "X-GitHub-Delivery") });
      expect(bare).toEqual({ ok: true });
    });
  });

  describe("DocuSign Connect keys", () => {
    it("writes one numbered header per key", async () => {
      const d = await validDelivery("docusign", { signWith: SECRETS.docusign });
      expect(Object.keys(d.headers).sort()).toEqual(["X-DocuSign-Signature-1", "X-DocuSign-Signature-2"]);
    });

    it("accepts when any header matches any configured key", async () => {
      const [first, second] = SECRETS.docusign;
      const d = await validDelivery("docusign", { signWith: [first, second] });
      expect(await verify({ ...d, secret: second })).toMatchObject({ ok: true });
      expect(await verify({ ...d, secret: ["retired key", first] })).toMatchObject({ ok: true });
      expect(await verify({ ...d, secret: "retired key" })).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("finds a valid signature in a later header (-3) behind invalid ones", async () => {
      const d = await validDelivery("docusign");
      const good = d.headers["X-DocuSign-Signature-1"] ?? "";
      const headers = { "X-DocuSign-Signature-1": BAD_B64, "X-DocuSign-Signature-2": BAD_B64, "x-docusign-signature-3": good };
      expect(await verify({ ...d, headers })).toMatchObject({ ok: true });
    });

    it("does not read headers outside the numbered family", async () => {
      const d = await validDelivery("docusign");
      const good = d.headers["X-DocuSign-Signature-1"] ?? "";
      for (const name of ["X-DocuSign-Signature", "X-DocuSign-Signature-0", "X-DocuSign-Signature-1a"]) {
        expect(await verify({ ...d, headers: { [name]: good } })).toMatchObject({ ok: false, code: "signature_missing" });
      }
    });
  });
}
