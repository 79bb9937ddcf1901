import { describe, expect, it } from "vitest";
import { FAILURE_CATALOGUE, failureLabel } from "../../src/lib/failures";
import { permanent, transient } from "../../src/lib/result";
import { classifyStatus, networkFailure } from "../../src/vendors/shared/classify";

describe("queue failure codes", () => {
  it("come from the closed catalogue only: an ad-hoc code, or one with the other retry policy, does not typecheck", () => {
    // Never called: what matters is that each line fails the typecheck (npx tsc) unless refused.
    const refused = () => [
      // @ts-expect-error a vendor's status is not a code: it is `vendor_http` with a status
      permanent("followupboss_422", "Unprocessable"),
      // @ts-expect-error not in the catalogue
      transient("something_odd", "?"),
      // @ts-expect-error golden_record_corrupt never retries
      transient("golden_record_corrupt", "?"),
      // @ts-expect-error deal_changed_concurrently always retries
      permanent("deal_changed_concurrently", "?"),
    ];
    expect(typeof refused).toBe("function");
    expect(permanent("not_connected", "x").error).toMatchObject({ code: "not_connected", retryable: false });
    expect(transient("in_progress", "x").error).toMatchObject({ code: "in_progress", retryable: true });
  });

  it("say beside each code whether it retries, and a vendor's status decides for vendor_http", () => {
    expect(FAILURE_CATALOGUE.vendor_http.retry).toBe("by_status");
    for (const status of [429, 408, 500, 503]) expect(classifyStatus("dotloop", status, "").retryable).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 422]) expect(classifyStatus("dotloop", status, "").retryable).toBe(false);
    expect(networkFailure("skyslope", new Error("reset"))).toMatchObject({ code: "vendor_network", vendor: "skyslope", retryable: true });
  });

  it("read as operators know them in dead letters: the vendor and its status, or the vendor and what failed", () => {
    expect(failureLabel(classifyStatus("followupboss", 503, "down"))).toBe("followupboss_503");
    expect(failureLabel(transient("vendor_unauthorized", "x", { vendor: "dotloop", status: 401 }).error)).toBe("dotloop_401");
    const timeout = Object.assign(new Error("slow"), { name: "TimeoutError" });
    expect(failureLabel(networkFailure("quickbooks", timeout))).toBe("quickbooks_timeout");
    expect(failureLabel(permanent("vendor_unexpected_response", "x", { vendor: "liondesk" }).error)).toBe("liondesk_unexpected_response");
    expect(failureLabel(permanent("not_connected", "x", { vendor: "dotloop" }).error)).toBe("not_connected");
  });
});
