/**
 * A test run under a published variant starts the sandbox from that variant's settings
 * (SANDBOX_VARIANT, see scripts/test-variants.mjs), so a reset inside a flow test keeps the variant.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, startingSettings } from "../../sandbox/src/state/settings";
import { VARIANTS } from "../../scripts/lib/variants.mjs";

describe("sandbox variants for whole test runs", () => {
  it("a reset starts from the variant's settings for its vendor and the defaults for the others", () => {
    const variant = JSON.stringify({ followupboss: { dealTimestamps: "created" }, skyslope: { exportShape: "value" } });
    expect(startingSettings("followupboss", variant)).toEqual({ ...DEFAULT_SETTINGS, dealTimestamps: "created" });
    expect(startingSettings("skyslope", variant).exportShape).toBe("value");
    expect(startingSettings("dotloop", variant)).toEqual(DEFAULT_SETTINGS);
    expect(startingSettings("dotloop", undefined)).toEqual(DEFAULT_SETTINGS);
  });

  it("refuses a variant that names a setting the sandbox does not have", () => {
    expect(() => startingSettings("followupboss", JSON.stringify({ followupboss: { dealTimestamp: "created" } }))).toThrow(
      /SANDBOX_VARIANT for followupboss/,
    );
  });

  it("every variant the flow runs use is one the sandbox accepts, and differs from the defaults", () => {
    for (const v of VARIANTS) {
      for (const vendor of Object.keys(v.sandbox)) {
        expect(startingSettings(vendor, JSON.stringify(v.sandbox)), v.name).not.toEqual(DEFAULT_SETTINGS);
      }
    }
  });
});
