import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { healthMessage } from "../../src/consumers/health";
import { retryAfterSeconds } from "../../src/vendors/shared/classify";
import { vendorRequest } from "../../src/vendors/shared/transport";
import { resetSandbox, setSettings } from "../helpers/sandbox";
import { getSettings, open } from "../vendors/support";

const check = () => healthMessage({ v: 1, kind: "health", connection: "followupboss:main", at: Date.now() }, env);
const alertState = async () =>
  (await env.DB.prepare("SELECT state FROM alerts WHERE key = 'vendor_down:followupboss:main'").first<{ state: string }>())?.state ?? null;

describe("the scheduled health check of a connection", () => {
  it("is not recorded as the vendor failing while the hub's own gate holds calls back, as the vendor asked", async () => {
    await resetSandbox();
    // Other traffic meets a 429 whose Retry-After outlasts any wait for a permit: the gate pauses the connection.
    const { clockOffsetMs } = await getSettings("followupboss");
    await setSettings("followupboss", { stormUntil: Date.now() + clockOffsetMs + 20_000 });
    const hit = await vendorRequest(open("followupboss:main"), { method: "GET", path: "/v1/stages" });
    expect(hit.ok).toBe(false);
    expect(await check()).toEqual({ ok: true, value: "held_back" });
    expect(await alertState()).toBeNull();
    const recorded = await env.DB.prepare("SELECT COUNT(*) AS n FROM health_checks WHERE connection = 'followupboss:main'").first<{
      n: number;
    }>();
    expect(recorded?.n).toBe(0);
  });

  it("raises an alert when the vendor has the hub hold its calls back for longer than a quarter of an hour", async () => {
    await resetSandbox();
    // The vendor answered a 429 whose Retry-After lies an hour ahead.
    await env.VENDOR_GATE.getByName("followupboss:main").release({ status: 429, retryAfterMs: 3_600_000 });
    expect(await check()).toEqual({ ok: true, value: "held_back" });
    const held = await env.DB.prepare("SELECT state, severity FROM alerts WHERE key = 'vendor_held:followupboss:main'").first();
    expect(held).toEqual({ state: "firing", severity: "critical" });
    expect(await alertState()).toBeNull();
  });
});

describe("a vendor's Retry-After", () => {
  it("is capped at a day whether given in seconds or as an HTTP date", () => {
    const now = Date.parse("2026-12-07T12:00:00Z");
    expect(retryAfterSeconds("120", now)).toBe(120);
    expect(retryAfterSeconds("9999999", now)).toBe(86_400);
    expect(retryAfterSeconds("Mon, 07 Dec 2026 12:02:00 GMT", now)).toBe(120);
    expect(retryAfterSeconds("Fri, 31 Dec 2027 23:59:59 GMT", now)).toBe(86_400);
  });
});
