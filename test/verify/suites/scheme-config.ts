// Schemes as configuration: presets are data, and a new provider needs JSON, not code.
import { describe, expect, it } from "vitest";
import { SCHEME_PRESETS, parseSchemeConfig, parseSchemeOverrides, signWebhook, verifyWebhook } from "../../../src/verify";
import type { SchemeConfig } from "../../../src/verify";
import { NOW, SECRETS, validDelivery, verify } from "../delivery-builder";
import type { Preset } from "../delivery-builder";

function parsed(json: string): SchemeConfig {
  const r = parseSchemeConfig(JSON.parse(json));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function schemeConfigSuite(): void {
  describe("presets are data", () => {
    it.each(Object.keys(SCHEME_PRESETS) as Preset[])("%s survives JSON and verifies like its name", async (name) => {
      const fromJson = parsed(JSON.stringify(SCHEME_PRESETS[name]));
      const d = await validDelivery(name);
      expect(await verify({ ...d, scheme: fromJson })).toMatchObject({ ok: true });
      const forged = await validDelivery(name, { signWith: "not the secret" });
      expect(await verify({ ...forged, scheme: fromJson })).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("accepts a name, a kind object, and a vendor option", () => {
      expect(parseSchemeConfig("github")).toEqual({ ok: true, value: "github" });
      expect(parseSchemeConfig({ kind: "svix" })).toEqual({ ok: true, value: { kind: "svix" } });
      const fub = { kind: "followupboss", message: "raw-body" };
      expect(parseSchemeConfig(fub)).toEqual({ ok: true, value: fub });
    });
  });

  describe("a provider configured without code", () => {
    // Slack's published example (api.slack.com/authentication/verifying-requests-from-slack):
    // X-Slack-Signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).
    const slack = `{"kind":"hmac","header":"X-Slack-Signature","algorithm":"SHA-256","encoding":"hex",
      "prefix":"v0=","signedContent":"v0:{timestamp}:{body}","timestampHeader":"X-Slack-Request-Timestamp"}`;
    const slackBody =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const slackDelivery = {
      secret: "8f742231b10e8888abcd99yyyzzz85a5",
      headers: {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      },
      body: slackBody,
      now: 1531420618,
    };

    it("verifies Slack's published example from JSON configuration alone", async () => {
      const scheme = parsed(slack);
      expect(await verifyWebhook({ ...slackDelivery, scheme })).toEqual({ ok: true, timestamp: 1531420618 });
      const tampered = { ...slackDelivery, body: slackBody.replace("roadrunner", "wileecoyote") };
      expect(await verifyWebhook({ ...tampered, scheme })).toMatchObject({ ok: false, code: "signature_invalid" });
      expect(await verifyWebhook({ ...slackDelivery, scheme, now: 1531420618 + 301 })).toMatchObject({ code: "timestamp_stale" });
    });

    it("signs a configured scheme the way the provider does", async () => {
      const headers = await signWebhook(parsed(slack), { secret: slackDelivery.secret, body: slackBody, timestamp: 1531420618 });
      expect(headers).toEqual(slackDelivery.headers);
    });

    it("supports id and body_base64 placeholders and SHA-1/SHA-512", async () => {
      for (const algorithm of ["SHA-1", "SHA-512"]) {
        const scheme = parsed(`{"kind":"hmac","header":"X-Sig","algorithm":"${algorithm}","encoding":"base64",
          "signedContent":"{id}|{body_base64}","idHeader":"X-Event-Id"}`);
        const headers = await signWebhook(scheme, { secret: "k", body: "{}", id: "evt_9" });
        expect(await verifyWebhook({ scheme, secret: "k", headers, body: "{}", now: NOW })).toEqual({ ok: true, id: "evt_9" });
        const other = { ...headers, "X-Event-Id": "evt_10" };
        expect(await verifyWebhook({ scheme, secret: "k", headers: other, body: "{}", now: NOW })).toMatchObject({ ok: false });
      }
    });
  });

  describe("configuration that is refused", () => {
    const base = { kind: "hmac", header: "X-Sig", algorithm: "SHA-256", encoding: "hex" };

    it.each([
      ["an unknown preset", "gitlab", ""],
      ["an unknown algorithm", { ...base, algorithm: "MD5" }, "algorithm"],
      ["a misspelt field", { ...base, signedContnet: "{body}" }, "signedContnet"],
      ["an unknown placeholder", { ...base, signedContent: "{nonce}.{body}" }, "signedContent"],
      ["{timestamp} with no timestamp source", { ...base, signedContent: "{timestamp}.{body}" }, ""],
      ["{id} with no id header", { ...base, signedContent: "{id}.{body}" }, ""],
      [
        "a template that leaves the body unsigned",
        { ...base, signedContent: "{id}.{timestamp}", idHeader: "X-Id", timestampHeader: "X-Ts" },
        "signedContent",
      ],
      ["a header name with a space", { ...base, header: "X Sig" }, "header"],
      ["an unknown vendor option", { kind: "dotloop", signed: "body.timestamp" }, "signed"],
    ])("refuses %s", (_label, input, path) => {
      const r = parseSchemeConfig(input);
      expect(r.ok).toBe(false);
      if (!r.ok && path !== "") expect(r.errors.map((e) => e.path)).toContain(path);
    });

    it("names the source and field of a bad entry in WEBHOOK_SCHEMES", () => {
      const r = parseSchemeOverrides({ zillow: "standard-webhooks", idx: { ...base, encoding: "base32" } });
      expect(r).toMatchObject({ ok: false, code: "config_invalid", errors: [{ path: "idx.encoding" }] });
    });

    it("accepts a valid WEBHOOK_SCHEMES map as is", () => {
      const map = { zillow: "standard-webhooks", fub: { kind: "followupboss" }, idx: base };
      expect(parseSchemeOverrides(map)).toEqual({ ok: true, value: map });
      expect(parseSchemeOverrides([])).toMatchObject({ ok: false });
    });
  });

  describe("secrets per preset", () => {
    it("the builder's secrets differ, so rotation tests mean something", () => {
      for (const [a, b] of Object.values(SECRETS)) expect(a).not.toBe(b);
    });
  });
}
