import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "../../src/lib/log";

describe("structured logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("are objects whose fields Workers Logs can index, with sensitive names redacted", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    log("info", "delivery_accepted", { source: "zillow", status: 202, email: "ana@example.com", skipped: undefined });
    const [line] = info.mock.calls[0] ?? [];
    expect(typeof line).toBe("object");
    expect(line).toMatchObject({ level: "info", msg: "delivery_accepted", source: "zillow", status: 202, email: "[redacted]" });
    expect(line).not.toHaveProperty("skipped");
  });

  it("go to console.warn and console.error by level", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    log("warn", "slow");
    log("error", "broken");
    expect(warn.mock.calls[0]?.[0]).toMatchObject({ level: "warn", msg: "slow" });
    expect(error.mock.calls[0]?.[0]).toMatchObject({ level: "error", msg: "broken" });
  });
});
