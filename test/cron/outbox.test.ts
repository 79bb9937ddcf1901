import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendUnsentEvents } from "../../src/cron";

const rows = async () =>
  (
    await env.DB.prepare("SELECT event_id FROM outbox WHERE event_id LIKE 'bad:%' ORDER BY event_id").all<{ event_id: string }>()
  ).results.map((r) => r.event_id);

describe("outbox rows the scheduled run cannot send", () => {
  it("an event that no longer parses stays recorded and raises a critical alert", async () => {
    const old = Date.now() - 10 * 60_000;
    await env.DB.prepare("INSERT INTO outbox (event_id, event, created_at) VALUES ('bad:event', '{\"type\":', ?1)").bind(old).run();
    expect(await sendUnsentEvents(env, Date.now())).toBe(0);
    expect(await rows()).toEqual(["bad:event"]);
    const alert = await env.DB.prepare("SELECT severity, state FROM alerts WHERE key = 'outbox_unreadable'").first();
    expect(alert).toEqual({ severity: "critical", state: "firing" });
  });

  it("a job naming no queue of the hub stays recorded and fails the step, which the scheduled run alerts on", async () => {
    const old = Date.now() - 10 * 60_000;
    await env.DB.prepare("INSERT INTO outbox (event_id, event, created_at, queue) VALUES ('bad:job', '{\"v\":1}', ?1, 'nowhere')")
      .bind(old)
      .run();
    await expect(sendUnsentEvents(env, Date.now())).rejects.toThrow();
    expect(await rows()).toEqual(["bad:event", "bad:job"]);
  });

  it("the alert resolves once an operator has removed the rows that cannot be read", async () => {
    const state = async () =>
      (await env.DB.prepare("SELECT state FROM alerts WHERE key = 'outbox_unreadable'").first<{ state: string }>())?.state;
    await env.DB.prepare("DELETE FROM outbox WHERE event_id LIKE 'bad:%'").run();
    await env.DB.prepare("INSERT INTO outbox (event_id, event, created_at) VALUES ('bad:torn', '{\"id\":', ?1)")
      .bind(Date.now() - 10 * 60_000)
      .run();
    expect(await sendUnsentEvents(env, Date.now())).toBe(0);
    expect(await state()).toBe("firing");

    await env.DB.prepare("DELETE FROM outbox WHERE event_id = 'bad:torn'").run();
    expect(await sendUnsentEvents(env, Date.now())).toBe(0);
    expect(await state()).toBe("resolved");
  });
});
