import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fireAlert, resolveAlert } from "../../src/alerts";
import { brokerageConfig } from "../../src/config/load";
import { activeConnections } from "../../src/config/connections";
import { healthMessage } from "../../src/consumers/health";
import type { AlertHistory, Overview } from "../../src/ops/activity";
import { connectionHealth, type ConnectionHealth } from "../../src/ops/health";
import { setCursor } from "../../src/store/cursors";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { apiJson, phone, postJson, sendLead, tag, zillowLead } from "./helpers";
import { crmLead, deadLetter } from "./letters";

describe("connection health", () => {
  it("shows each connection's last check, checks in 24 h, last poll and its gate counters", async () => {
    // The scheduled check, as its queue job runs it against the sandbox.
    for (const conn of activeConnections(brokerageConfig(env))) {
      expect((await healthMessage({ v: 1, kind: "health", connection: conn.id, at: Date.now() }, env)).ok).toBe(true);
    }
    await setCursor(env.DB, "followupboss:main", "people", "2026-11-01T00:00:00Z", Date.now() - 60_000);
    const { connections } = await apiJson<{ connections: ConnectionHealth[] }>("/health");
    const fub = connections.find((c) => c.connection === "followupboss:main");
    expect(fub).toMatchObject({ vendor: "followupboss", active: true, lastCheck: { ok: true }, checks24h: { checks: 1, passed: 1 } });
    expect(fub?.lastPolledAt).toBeGreaterThan(Date.now() - 120_000);
    expect(fub?.gate?.granted).toBeGreaterThanOrEqual(1);
    expect(connections.find((c) => c.connection === "liondesk:main")).toMatchObject({ active: false, lastCheck: null, gate: null });
    expect(fub?.lastCheck?.stale).toBe(false);
  });

  it("a last check older than three scheduled runs is stale, however it went: the checks have stopped", async () => {
    const later = await connectionHealth(env, Date.now() + 16 * 60_000);
    expect(later.find((c) => c.connection === "followupboss:main")?.lastCheck).toMatchObject({ ok: true, stale: true });
  });
});

describe("alert history", () => {
  it("shows an alert firing, then resolved, with both notifications in the log", async () => {
    const key = `test:${tag()}`;
    await fireAlert(env, { key, severity: "critical", title: "Test outage" });
    let h = await apiJson<AlertHistory>("/alerts");
    expect(h.alerts.find((a) => a.key === key)).toMatchObject({ state: "firing", severity: "critical", count: 1 });
    await resolveAlert(env, key, "Test outage over");
    h = await apiJson<AlertHistory>("/alerts");
    expect(h.alerts.find((a) => a.key === key)).toMatchObject({ state: "resolved" });
    expect(h.log.filter((e) => e.key === key).map((e) => e.kind)).toEqual(["resolved", "fired"]);
  });
});

describe("resolving an alert by hand", () => {
  const resolve = (key: string, body: unknown) => postJson(`/alerts/${encodeURIComponent(key)}/resolve`, body);
  const alertOf = async (key: string) => (await apiJson<AlertHistory>("/alerts")).alerts.find((a) => a.key === key);

  it("resolves a firing alert, notifies the recovery with who and why, and a check that still sees it fires it again", async () => {
    const key = `permanent:crm:test_${tag()}`;
    await fireAlert(env, { key, severity: "critical", title: "A record the CRM refuses" });
    const res = await resolve(key, { reason: "record fixed in the CRM by hand" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ key, state: "resolved" });
    expect(await alertOf(key)).toMatchObject({ state: "resolved" });
    const h = await apiJson<AlertHistory>("/alerts");
    const notices = h.log.filter((e) => e.key === key);
    expect(notices.map((e) => e.kind)).toEqual(["resolved", "fired"]);
    expect(JSON.stringify(notices[0]?.payload)).toContain("record fixed in the CRM by hand");

    await fireAlert(env, { key, severity: "critical", title: "A record the CRM refuses" });
    expect(await alertOf(key)).toMatchObject({ state: "firing", count: 1 });
  });

  it("refuses without a reason, for an unknown key and for an alert not firing, and changes nothing", async () => {
    const key = `test:${tag()}`;
    await fireAlert(env, { key, severity: "warning", title: "Test" });
    const noReason = await resolve(key, { reason: " " });
    expect(noReason.status).toBe(422);
    expect(await alertOf(key)).toMatchObject({ state: "firing" });

    const unknown = await resolve(`test:${tag()}`, { reason: "no such alert" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "not_found" });

    await resolveAlert(env, key, "over");
    const again = await resolve(key, { reason: "already over" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "conflict" });
    const h = await apiJson<AlertHistory>("/alerts");
    expect(h.log.filter((e) => e.key === key).map((e) => e.kind)).toEqual(["resolved", "fired"]);
  });

  it("two operators resolving one alert at once: one resolves it, the other is told it is no longer firing, one notice", async () => {
    const key = `test:${tag()}`;
    await fireAlert(env, { key, severity: "warning", title: "Test" });
    const answers = await Promise.all([
      resolve(key, { reason: "handled by the first operator" }),
      resolve(key, { reason: "handled by the second operator" }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const h = await apiJson<AlertHistory>("/alerts");
    expect(h.log.filter((e) => e.key === key).map((e) => e.kind)).toEqual(["resolved", "fired"]);
  });
});

describe("overview and drift", () => {
  it("counts throughput per stage, intake per source and open dead letters", async () => {
    const before = await apiJson<Overview>("/overview");
    await sendLead({ email: `ov${tag()}@example.com`, name: "Olga View", phone: phone() });
    await deadLetter(crmLead({ email: `ov2${tag()}@example.com`, name: "Olga Letter", phone: phone() }), {
      queue: "crm",
      code: "followupboss_400",
      vendor: "followupboss",
    });
    const o = await apiJson<Overview>("/overview");
    const stage = (s: Overview, name: string) => s.stages.find((x) => x.stage === name)?.ok ?? 0;
    for (const name of ["RECEIVED", "NORMALIZED", "CRM_CREATED"]) expect(stage(o, name), name).toBe(stage(before, name) + 1);
    expect(o.deadLetters.open).toBe(before.deadLetters.open + 1);
    expect(o.deadLetters.openByQueue.crm).toBe((before.deadLetters.openByQueue.crm ?? 0) + 1);
    const zillow = (s: Overview) => s.intake.filter((r) => r.source === "zillow").reduce((n, r) => n + r.n, 0);
    expect(zillow(o)).toBe(zillow(before) + 1);
    expect(o.backlog.receivedNotIngested).toBe(0);
  });

  it("counts every delivery still waiting to be ingested however old, and every firing alert", async () => {
    const before = await apiJson<Overview>("/overview");
    const stuckAt = Date.now() - 8 * 86_400_000;
    const id = `dlv_stuck_${tag()}`;
    await env.DB.prepare(
      "INSERT INTO deliveries (id, source, delivery_key, received_at, recorded_at, status) VALUES (?1, 'zillow', ?1, ?2, ?2, 'received')",
    )
      .bind(id, stuckAt)
      .run();
    const keys = Array.from({ length: 25 }, (_, i) => `overview_count_${tag()}_${i}`);
    for (const key of keys) await fireAlert(env, { key, severity: "warning", title: "counted" });
    const o = await apiJson<Overview>("/overview");
    expect(o.backlog.receivedNotIngested).toBe(before.backlog.receivedNotIngested + 1);
    expect(o.backlog.oldestReceivedAt).toBeLessThanOrEqual(stuckAt);
    expect(o.firingAlertsTotal).toBe(before.firingAlertsTotal + 25);
    await env.DB.prepare("DELETE FROM deliveries WHERE id = ?1").bind(id).run();
    for (const key of keys) await resolveAlert(env, key, "done");
  });

  it("lists schema drift a source sent", async () => {
    const body = zillowLead({ email: `dr${tag()}@example.com`, name: "Dora Drift", phone: phone() }) as { data: Record<string, unknown> };
    body.data.favorite_color_v2 = "teal";
    expect((await post(await signedDelivery("zillow", body))).status).toBe(202);
    const drift = await eventually(async () => {
      const r = await apiJson<{ drift: Array<{ source: string; field: string; kind: string }> }>("/drift");
      return r.drift.find((d) => d.field.includes("favorite_color_v2"));
    });
    expect(drift).toMatchObject({ source: "zillow", kind: "unknown_field" });
  });
});
