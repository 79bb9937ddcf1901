// The replay window and timestamp parsing, for every scheme that carries a timestamp.
import { describe, expect, it } from "vitest";
import { NOW, validDelivery as build, verify, without, withHeader } from "../delivery-builder";
import type { BuildOptions, Preset } from "../delivery-builder";

// Dotloop binds its timestamp only under the "timestamp.body" reading; its default reading is
// covered in unsigned-headers.ts (the timestamp is ignored there).
const DOTLOOP_SIGNED = { kind: "dotloop", signed: "timestamp.body" } as const;

/** Where each scheme that signs a timestamp carries it. */
const TIMESTAMPED: Array<[string, Preset, { header: string } | { list: true }]> = [
  ["standard-webhooks", "standard-webhooks", { header: "webhook-timestamp" }],
  ["svix", "svix", { header: "svix-timestamp" }],
  ["stripe", "stripe", { list: true }],
  ["dotloop (timestamp.body)", "dotloop", { header: "X-DOTLOOP-TIMESTAMP" }],
];

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function timestampSuite(): void {
  describe.each(TIMESTAMPED)("%s", (_name, preset, where) => {
    const validDelivery = (p: Preset, opts: BuildOptions = {}) => build(p, p === "dotloop" ? { scheme: DOTLOOP_SIGNED, ...opts } : opts);

    it("reports the timestamp in Unix seconds", async () => {
      expect(await verify(await validDelivery(preset))).toMatchObject({ ok: true, timestamp: NOW });
    });

    it("accepts exactly 300 s old and 300 s ahead", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, now: NOW + 300 })).toMatchObject({ ok: true });
      expect(await verify({ ...d, now: NOW - 300 })).toMatchObject({ ok: true });
    });

    it("rejects a stale delivery (301 s old) as timestamp_stale", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, now: NOW + 301 })).toMatchObject({ ok: false, code: "timestamp_stale" });
    });

    it("rejects a delivery from the future (301 s ahead) as timestamp_stale", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, now: NOW - 301 })).toMatchObject({ ok: false, code: "timestamp_stale" });
    });

    it("honours a configured tolerance", async () => {
      const d = await validDelivery(preset);
      expect(await verify({ ...d, now: NOW + 301, toleranceSeconds: 600 })).toMatchObject({ ok: true });
      expect(await verify({ ...d, now: NOW + 61, toleranceSeconds: 60 })).toMatchObject({ code: "timestamp_stale" });
    });

    it("reports a bad signature, not staleness, when both are wrong", async () => {
      const d = await validDelivery(preset, { signWith: "wrong secret" });
      expect(await verify({ ...d, now: NOW + 10_000 })).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    if ("header" in where) {
      it("rejects a missing timestamp header as timestamp_invalid", async () => {
        const d = await validDelivery(preset);
        const result = await verify({ ...d, headers: without(d.headers, where.header) });
        expect(result).toMatchObject({ ok: false, code: "timestamp_invalid" });
      });

      it.each(["hello", "1.75e9", "-1750000000", " 1750000000x", ""])("rejects timestamp %j as invalid", async (bad) => {
        const d = await validDelivery(preset);
        const result = await verify({ ...d, headers: withHeader(d.headers, where.header, bad) });
        expect(result).toMatchObject({ ok: false, code: "timestamp_invalid" });
      });
    }

    if ("header" in where) {
      it("rejects a timestamp moved into the window after signing", async () => {
        const d = await validDelivery(preset, { timestamp: NOW - 3600 });
        const result = await verify({ ...d, headers: withHeader(d.headers, where.header, String(NOW)) });
        expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
      });
    }
  });

  describe("stripe timestamp entry", () => {
    it("rejects a header without t= as timestamp_invalid", async () => {
      const d = await build("stripe");
      const sig = d.headers["Stripe-Signature"]?.replace(/^t=\d+,/, "") ?? "";
      const result = await verify({ ...d, headers: { "Stripe-Signature": sig } });
      expect(result).toMatchObject({ ok: false, code: "timestamp_invalid" });
    });

    it("rejects t= rewritten to now after signing (t is signed)", async () => {
      const d = await build("stripe", { timestamp: NOW - 3600 });
      const sig = d.headers["Stripe-Signature"]?.replace(/^t=\d+/, `t=${NOW}`) ?? "";
      const result = await verify({ ...d, headers: { "Stripe-Signature": sig } });
      expect(result).toMatchObject({ ok: false, code: "signature_invalid" });
    });

    it("uses the first t= entry; a second one cannot move the delivery into the window", async () => {
      const d = await build("stripe", { timestamp: NOW - 3600 });
      const sig = `${d.headers["Stripe-Signature"] ?? ""},t=${NOW}`;
      const result = await verify({ ...d, headers: { "Stripe-Signature": sig } });
      expect(result).toMatchObject({ ok: false, code: "timestamp_stale" });
    });
  });

  describe("dotloop timestamp units (timestamp.body)", () => {
    it("accepts milliseconds and seconds alike and reports seconds", async () => {
      const ms = await build("dotloop", { scheme: DOTLOOP_SIGNED, timestamp: NOW * 1000 + 123 });
      expect(await verify(ms)).toMatchObject({ ok: true, timestamp: NOW });
      const s = await build("dotloop", { scheme: DOTLOOP_SIGNED, timestamp: NOW });
      expect(await verify(s)).toMatchObject({ ok: true, timestamp: NOW });
    });

    it("applies the window to millisecond timestamps", async () => {
      const d = await build("dotloop", { scheme: DOTLOOP_SIGNED, timestamp: (NOW - 301) * 1000 });
      expect(await verify(d)).toMatchObject({ ok: false, code: "timestamp_stale" });
    });
  });
}
