import { describe, expect, it } from "vitest";
import { capDrift, DRIFT_RECORDS_PER_DELIVERY } from "../../src/mapping/drift-cap";
import type { DriftKind, DriftRecord } from "../../src/mapping";

const record = (field: string, kind: DriftKind): DriftRecord => ({
  source: "zillow",
  map: "zillow.lead",
  field,
  kind,
  sample: "x",
  seenAt: "2024-05-01T17:00:00.000Z",
});

describe("drift recorded per delivery", () => {
  it("keeps every record of an ordinary delivery", () => {
    const drift = [record("data.a", "unknown_field"), record("data.b", "type_changed")];
    expect(capDrift(drift)).toEqual({ kept: drift, omitted: 0 });
  });

  it("keeps 20 of a flood, the fields that break mapping first, and counts the rest", () => {
    const flood = Array.from({ length: 1000 }, (_, i) => record(`data.f${i}`, "unknown_field"));
    const telling = [record("data.price", "type_changed"), record("data.email", "missing_required")];
    const { kept, omitted } = capDrift([...flood, ...telling]);
    expect(kept.length).toBe(DRIFT_RECORDS_PER_DELIVERY);
    expect(omitted).toBe(1002 - DRIFT_RECORDS_PER_DELIVERY);
    expect(kept.slice(0, 3).map((d) => d.field)).toEqual(["data.email", "data.price", "data.f0"]);
  });
});
