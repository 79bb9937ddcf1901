import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { healthMessage } from "../../src/consumers/health";
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
});
