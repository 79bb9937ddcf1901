// One valid delivery per scheme, one thing changed per test.
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../../src/verify";
import { BODY, SECRETS, flipLastByte, header, validDelivery, verify, without, withHeader } from "../delivery-builder";
import type { Preset } from "../delivery-builder";

/** The header each preset's signature travels in, and the signed id it reports (if any). */
const FACTS: Record<Preset, { signature: string; id?: string }> = {
  "standard-webhooks": { signature: "webhook-signature", id: "webhook-id" },
  svix: { signature: "svix-signature", id: "svix-id" },
  github: { signature: "X-Hub-Signature-256" },
  stripe: { signature: "Stripe-Signature" },
  quickbooks: { signature: "intuit-signature" },
  docusign: { signature: "X-DocuSign-Signature-1" },
  followupboss: { signature: "FUB-Signature" },
  dotloop: { signature: "X-DOTLOOP-SIGNATURE" },
};

const PRESETS = Object.keys(FACTS) as Preset[];

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function everySchemeSuite(): void {
  describe.each(PRESETS)("%s", (preset) => {
    const facts = FACTS[preset];

    it("accepts the delivery as signed, reporting its id only when signed", async () => {
      const d = await validDelivery(preset);
      const result = await verify(d);
      expect(result).toMatchObject({ ok: true });
      if (facts.id !== undefined) expect(result).toMatchObject({ id: header(d.headers, facts.id) });
      else expect(result).not.toHaveProperty("id");
    });

    it("accepts the same bytes given as a Uint8Array", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, body: new TextEncoder().encode(BODY) })).toMatchObject({ ok: true });
    });

    it("rejects a body with one byte changed", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, body: flipLastByte(d.body) })).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("rejects a body with a trailing newline added", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, body: `${BODY}\n` })).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("rejects a delivery signed with another secret", async () => {
      const d = await validDelivery(preset, { signWith: "an attacker's guess" });
      expect(await verify(d)).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("rejects a missing signature header as signature_missing", async () => {
      const d = await validDelivery(preset);
      const result = await verify({ ...d, headers: without(d.headers, facts.signature) });
      expect(result).toMatchObject({ ok: false, code: "signature_missing" });
    });

    it("rejects a truncated signature", async () => {
      const d = await validDelivery(preset);
      const value = header(d.headers, facts.signature);
      const result = await verify({ ...d, headers: withHeader(d.headers, facts.signature, value.slice(0, -4)) });
      expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("rejects a signature that is not in the scheme's encoding", async () => {
      const d = await validDelivery(preset);
      const value = header(d.headers, facts.signature);
      const broken = `${value.slice(0, -6)}!${value.slice(-5)}`;
      const result = await verify({ ...d, headers: withHeader(d.headers, facts.signature, broken) });
      expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("reads header names case-insensitively, from a record or a Headers object", async () => {
      const d = await validDelivery(preset);
      const upper = Object.fromEntries(Object.entries(d.headers).map(([k, val]) => [k.toUpperCase(), val]));
      expect(await verify({ ...d, headers: upper })).toMatchObject({ ok: true });
      expect(await verifyWebhook({ ...d, headers: new Headers(d.headers) })).toMatchObject({ ok: true });
    });

    it("answers secret_missing when no secret is configured", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, secret: "" })).toMatchObject({ ok: false, code: "secret_missing" });
      expect(await verify({ ...d, secret: [] })).toMatchObject({ ok: false, code: "secret_missing" });
      expect(await verify({ ...d, secret: ["", ""] })).toMatchObject({ ok: false, code: "secret_missing" });
    });

    it("accepts during rotation when any configured secret signed", async () => {
      const [current, next] = SECRETS[preset];
      const d = await validDelivery(preset);
      expect(await verify({ ...d, secret: [next, current] })).toMatchObject({ ok: true });
      expect(await verify({ ...d, secret: [current, next] })).toMatchObject({ ok: true });
    });

    it("rejects when none of several configured secrets signed", async () => {
      const d = await validDelivery(preset);
      const result = await verify({ ...d, secret: [SECRETS[preset][1], "another retired secret"] });
      expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("verifies a non-UTF-8 body byte for byte", async () => {
      const body = new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x7b, 0x7d]);
      const d = await validDelivery(preset, { body });
      expect(await verify(d)).toMatchObject({ ok: true });
      expect(await verify({ ...d, body: flipLastByte(body) })).toMatchObject({ ok: false, code: "signature_invalid" });
    });
  });
}
