// Headers the signature does not cover: a captured delivery with any of them rewritten must be
// refused or keyed exactly as the original, so it can never pass as a new delivery.
import { describe, expect, it } from "vitest";
import { deliveryKey } from "../../../src/routes/hooks/delivery-key";
import { SCHEME_PRESETS } from "../../../src/verify";
import type { VerifyResult } from "../../../src/verify";
import { NOW, validDelivery, verify, withHeader } from "../delivery-builder";
import type { Delivery, Preset } from "../delivery-builder";

/** Every id and timestamp header any preset reads or writes, with a fresh value for each. */
const REWRITES: ReadonlyArray<readonly [string, string]> = [
  ["webhook-id", "msg_fresh_0001"],
  ["svix-id", "msg_fresh_0002"],
  ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"],
  ["webhook-timestamp", String(NOW + 1)],
  ["svix-timestamp", String(NOW + 1)],
  ["X-DOTLOOP-TIMESTAMP", String((NOW + 1) * 1000)],
];

/** The idempotency key the intake gives a delivery, or "refused" when it does not verify. */
async function keyOf(result: VerifyResult, d: Delivery): Promise<string> {
  if (!result.ok) return "refused";
  const raw = typeof d.body === "string" ? new TextEncoder().encode(d.body) : d.body;
  return deliveryKey("standard", result.id, JSON.parse(new TextDecoder().decode(raw)), raw);
}

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function unsignedHeaderSuite(): void {
  describe.each(Object.keys(SCHEME_PRESETS) as Preset[])("%s: a rewritten unsigned header", (preset) => {
    it.each(REWRITES)("%s rewritten to a fresh value is refused or keyed as the original", async (name, value) => {
      const d = await validDelivery(preset);
      const original = await keyOf(await verify(d), d);
      expect(original).not.toBe("refused");
      const rewritten = { ...d, headers: withHeader(d.headers, name, value) };
      const key = await keyOf(await verify(rewritten), rewritten);
      expect([original, "refused"]).toContain(key);
    });
  });

  describe("Dotloop's timestamp under the default reading (the body alone is signed)", () => {
    it("is not held to a window it cannot bind: a late retry an hour after its timestamp verifies", async () => {
      const d = await validDelivery("dotloop", { timestamp: (NOW - 3600) * 1000 });
      expect(await verify(d)).toEqual({ ok: true });
    });

    it("is neither required nor parsed: missing or malformed, the delivery verifies on its body", async () => {
      const d = await validDelivery("dotloop");
      const { "X-DOTLOOP-TIMESTAMP": _dropped, ...rest } = d.headers;
      expect(await verify({ ...d, headers: rest })).toEqual({ ok: true });
      expect(await verify({ ...d, headers: withHeader(d.headers, "X-DOTLOOP-TIMESTAMP", "yesterday") })).toEqual({ ok: true });
    });
  });
}
