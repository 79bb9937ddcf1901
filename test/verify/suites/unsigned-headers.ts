// Headers the signature does not cover: a captured delivery with any of them rewritten must be
// refused or keyed exactly as the original, so it can never pass as a new delivery.
import { describe, expect, it } from "vitest";
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

/** What a caller derives its idempotency key from: the reported id, else the signed body. */
function keyOf(result: VerifyResult, d: Delivery): string {
  if (!result.ok) return "refused";
  return result.id !== undefined ? `id:${result.id}` : `body:${String(d.body)}`;
}

/** Registers this suite; called from verify.test.ts (one file = one workerd setup). */
export function unsignedHeaderSuite(): void {
  describe.each(Object.keys(SCHEME_PRESETS) as Preset[])("%s: a rewritten unsigned header", (preset) => {
    it.each(REWRITES)("%s rewritten to a fresh value is refused or keyed as the original", async (name, value) => {
      const d = await validDelivery(preset);
      const original = keyOf(await verify(d), d);
      expect(original).not.toBe("refused");
      const rewritten = { ...d, headers: withHeader(d.headers, name, value) };
      const key = keyOf(await verify(rewritten), rewritten);
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
