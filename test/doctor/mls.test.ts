import { beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { monitoredConnections } from "../../src/config/connections";
import { healthMessage } from "../../src/consumers/health";
import { scheduleMls } from "../../src/cron/mls";
import { runDoctor } from "../../src/ops/doctor";
import { resetSandbox, setSettings } from "../helpers/sandbox";
import { hub, ORIGIN } from "../ops/helpers";
import { drain, mlsControl, mlsSetup, MLS_ID } from "../mls/helpers";

/** The cron's health checks, as the health jobs it enqueues are run by the consumers. */
async function healthChecks(env: Env, config: ReturnType<typeof brokerageConfig>): Promise<void> {
  for (const conn of monitoredConnections(config)) await healthMessage({ v: 1, kind: "health", connection: conn.id, at: Date.now() }, env);
}
import { HUB } from "./stack";
import { overriding } from "../helpers/env";

type Check = { connection: string; id: string; status: string; detail: string; fix?: string };

async function resoChecks(env: Env): Promise<Check[]> {
  return (await runDoctor(env, HUB)).checks.filter((c) => c.connection === MLS_ID);
}

interface Health {
  connection: string;
  active: boolean;
  lastCheck: { ok: boolean } | null;
  replication: { state: string; lagMs: number | null; phase: string | null; records: number } | null;
}

async function health(env: Env): Promise<Health | undefined> {
  const res = await hub.request(`${ORIGIN}/ops/api/health`, { headers: { authorization: `Bearer ${env.OPS_TOKEN}` } }, env);
  expect(res.status).toBe(200);
  return (await res.json<{ connections: Health[] }>()).connections.find((c) => c.connection === MLS_ID);
}

describe("the MLS connection in the doctor and the health checks", () => {
  const s = mlsSetup();

  beforeAll(async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 30 });
  });

  it("before any replication the doctor finds the MLS reachable and the credentials good, and says replication has not run", async () => {
    const checks = await resoChecks(s.appEnv);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ["reso.reachable", "pass"],
      ["reso.token", "pass"],
      ["reso.credentials", "pass"],
      ["reso.replication", "fail"],
    ]);
    expect(checks[3]).toMatchObject({ detail: "no replication has run yet", fix: expect.stringMatching(/cron/) });
    expect((await health(s.appEnv))?.replication).toMatchObject({ state: "not_started", lagMs: null });
  });

  it("once the feed is replicated every MLS check passes, and the health API and cron report it reachable and current", async () => {
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now());
    await drain(s);
    expect((await resoChecks(s.appEnv)).every((c) => c.status === "pass")).toBe(true);
    await healthChecks(s.appEnv, brokerageConfig(s.appEnv));
    const h = await health(s.appEnv);
    expect(h).toMatchObject({
      active: true,
      lastCheck: { ok: true },
      replication: { state: "current", phase: "incremental", records: 30 },
    });
    expect(h?.replication?.lagMs).toBeLessThan(60_000);
  });

  it("a client secret the MLS refuses fails the token check with the credentials to fix, and nothing after it runs against the MLS", async () => {
    const doc = JSON.parse((s.appEnv as unknown as { BROKERAGE_CONFIG: string }).BROKERAGE_CONFIG) as {
      connections: Array<{ id: string; credentials: Record<string, string> }>;
    };
    const conn = doc.connections.find((c) => c.id === MLS_ID);
    if (conn) conn.credentials = { ...conn.credentials, clientSecret: "not-the-secret" };
    const bad = overriding(s.appEnv, { BROKERAGE_CONFIG: JSON.stringify(doc) });
    const checks = await resoChecks(bad);
    expect(checks.find((c) => c.id === "reso.token")).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/clientSecret \(RESO_CLIENT_ID, RESO_CLIENT_SECRET\)/),
    });
    expect(checks.find((c) => c.id === "reso.credentials")?.status).toBe("skip");
  });

  it("an MLS answering only server errors is not reachable, and the cron's health check records it failing", async () => {
    await setSettings("reso", { errorRate: 1, errorStatuses: [503] });
    try {
      const checks = await resoChecks(s.appEnv);
      expect(checks.find((c) => c.id === "reso.reachable")).toMatchObject({ status: "fail", detail: expect.stringContaining("HTTP 503") });
      expect(checks.find((c) => c.id === "reso.credentials")?.status).toBe("skip");
      await healthChecks(s.appEnv, brokerageConfig(s.appEnv));
      expect((await health(s.appEnv))?.lastCheck).toMatchObject({ ok: false });
    } finally {
      await setSettings("reso", { errorRate: 0 });
    }
  });
});
