// The vendors without published vectors, their configurable readings, and secret handling.
import { describe, expect, it } from "vitest";
import {
  SCHEME_PRESETS,
  signDocuSign,
  signDotloop,
  signFollowUpBoss,
  signGitHub,
  signStandardWebhook,
  signWebhook,
  verifyWebhook,
} from "../../../src/verify";
import { NOW, validDelivery, verify } from "../delivery-builder";

// Known answers computed with Python's hmac/hashlib (an implementation independent of Web
// Crypto), because neither vendor publishes an example. They pin what is signed, not just that
// our signer and verifier agree.
const FUB_BODY =
  '{"eventId":"f5e1c6a0-6b7d-4c1e-9a51-2f8b1c0d9e77","event":"peopleCreated","resourceIds":[1234,3244],"uri":"https://api.followupboss.com/v1/people?id=1234,3244"}';
const DOTLOOP_BODY =
  '{"eventId":"8f2c","eventType":"LOOP_UPDATED","timestamp":1691763097001,"event":{"id":"34308","profileId":"4711","loopId":"34308"}}';
const DOCUSIGN_BODY = '{"event":"envelope-completed","data":{"envelopeId":"93b4c0f4-2b6e-4f4c-8a8e-0c6f3b0e1d2a"}}';

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function vendorVariantSuite(): void {
  describe("Follow Up Boss", () => {
    it("signs hex(HMAC-SHA256(system key, base64(body))) by default", async () => {
      const headers = await signFollowUpBoss({ secret: "dev-fub-system-key", body: FUB_BODY });
      expect(headers).toEqual({ "FUB-Signature": "34bf6f3a37f8ff62e2b3ac713356a74c57ad1c390d3beb4af80bbaa9b622db64" });
    });

    it("signs the raw body under the raw-body reading", async () => {
      const headers = await signFollowUpBoss({ secret: "dev-fub-system-key", body: FUB_BODY, message: "raw-body" });
      expect(headers).toEqual({ "FUB-Signature": "df31e0998f26a3581675a0d4a4e1ee27375f67b6c66b0df10c959dfed45b196d" });
    });

    it("accepts a raw-body signature only when the source is configured for it", async () => {
      const headers = await signFollowUpBoss({ secret: "dev-fub-system-key", body: FUB_BODY, message: "raw-body" });
      const input = { secret: "dev-fub-system-key", headers, body: FUB_BODY, now: NOW };
      expect(await verifyWebhook({ ...input, scheme: "followupboss" })).toMatchObject({ code: "signature_invalid" });
      const configured = { kind: "followupboss", message: "raw-body" } as const;
      expect(await verifyWebhook({ ...input, scheme: configured })).toMatchObject({ ok: true });
    });
  });

  describe("Dotloop", () => {
    it("signs hex(HMAC-SHA1(signing key, body)) by default and sends the timestamp", async () => {
      const headers = await signDotloop({ secret: "dev-dotloop-signing-key", body: DOTLOOP_BODY, timestamp: 1691763097001 });
      expect(headers).toEqual({
        "X-DOTLOOP-SIGNATURE": "53e4650b26c09e9915502e7d0dbcd3a12d0b4e06",
        "X-DOTLOOP-TIMESTAMP": "1691763097001",
      });
    });

    it('signs "<timestamp>.<body>" under the timestamp.body reading', async () => {
      const headers = await signDotloop({
        secret: "dev-dotloop-signing-key",
        body: DOTLOOP_BODY,
        timestamp: 1691763097001,
        signed: "timestamp.body",
      });
      expect(headers["X-DOTLOOP-SIGNATURE"]).toBe("5b9e8801db26641d1f5efee0f5b16ba855518651");
    });

    it("under timestamp.body, a rewritten timestamp breaks the signature", async () => {
      const scheme = { kind: "dotloop", signed: "timestamp.body" } as const;
      const d = await validDelivery("dotloop", { scheme, timestamp: (NOW - 3600) * 1000 });
      const headers = { ...d.headers, "X-DOTLOOP-TIMESTAMP": String(NOW * 1000) };
      expect(await verify({ ...d, headers })).toMatchObject({ ok: false, code: "signature_invalid" });
      expect(await verify({ ...d, scheme: "dotloop" })).toMatchObject({ ok: false, code: "signature_invalid" });
    });
  });

  describe("DocuSign", () => {
    it("signs base64(HMAC-SHA256(key, body)) once per key", async () => {
      const headers = await signDocuSign({ secret: ["dev-docusign-connect-key", "second-connect-key"], body: DOCUSIGN_BODY });
      expect(headers).toEqual({
        "X-DocuSign-Signature-1": "Kskwn61XMRUByP7OLuF3kavo6jqJBSLLaODPGV3S/A4=",
        "X-DocuSign-Signature-2": "uIeoiid8pXBpoqKRpDxaWHo8qOhBjTuFSu98Jowzj/k=",
      });
    });
  });

  const KNOWN_BYTES_HEX = "bc613e64ee42d26917633711016684020a61dd587bdc5bf45523ca7e31de2ab0";

  describe("raw bytes", () => {
    it("signs bytes that are not UTF-8 without decoding them (known answer)", async () => {
      // Python: hmac.new(b"s", bytes([0xff, 0xfe, 0x00, 0x80]), sha256).hexdigest()
      const body = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
      const headers = await signGitHub({ secret: "s", body });
      expect(headers["X-Hub-Signature-256"]).toBe(`sha256=${KNOWN_BYTES_HEX}`);
    });
  });

  describe("Standard Webhooks secrets and header families", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    it("accepts the svix-* family under standard-webhooks and webhook-* under svix", async () => {
      const svixHeaders = await signStandardWebhook({ secret, id: "msg_1", timestamp: NOW, body: "{}", family: "svix" });
      expect(Object.keys(svixHeaders).sort()).toEqual(["svix-id", "svix-signature", "svix-timestamp"]);
      const base = { secret, body: "{}", now: NOW };
      expect(await verifyWebhook({ ...base, scheme: "standard-webhooks", headers: svixHeaders })).toMatchObject({ ok: true, id: "msg_1" });
      const plain = await signStandardWebhook({ secret, id: "msg_1", timestamp: NOW, body: "{}" });
      expect(await verifyWebhook({ ...base, scheme: "svix", headers: plain })).toMatchObject({ ok: true, id: "msg_1" });
    });

    it("treats the secret with and without whsec_ as the same key", async () => {
      const headers = await signStandardWebhook({ secret, id: "msg_1", timestamp: NOW, body: "{}" });
      const unprefixed = secret.slice("whsec_".length);
      expect(await verifyWebhook({ scheme: "standard-webhooks", secret: unprefixed, headers, body: "{}", now: NOW })).toMatchObject({
        ok: true,
      });
    });

    it("uses a secret that is not base64 as its UTF-8 bytes", async () => {
      const odd = "whsec_not base64!";
      const ours = await signStandardWebhook({ secret: odd, id: "msg_1", timestamp: NOW, body: "{}" });
      const utf8Keyed = await signWebhookUtf8(odd);
      expect(ours["webhook-signature"]).toBe(utf8Keyed);
    });
  });

  // The same content keyed by the secret's UTF-8 bytes, written with the declarative scheme.
  async function signWebhookUtf8(secret: string): Promise<string | undefined> {
    const scheme = { ...SCHEME_PRESETS["standard-webhooks"], secretEncoding: "utf8" as const };
    const headers = await signWebhook(scheme, { secret, id: "msg_1", timestamp: NOW, body: "{}" });
    return headers["webhook-signature"];
  }
}
