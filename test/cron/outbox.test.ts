import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendUnsentEvents } from "../../src/cron";

const rows = async () =>
  (
    await env.DB.prepare("SELECT event_id FROM outbox WHERE event_id LIKE 'bad:%' ORDER BY event_id").all<{ event_id: string }>()
  ).results.map((r) => r.event_id);

describe("outbox rows the scheduled run cannot send", () => {
  it("stay recorded and raise a critical alert: an event that no longer parses, a job naming no queue of the hub", async () => {
    const old = Date.now() - 10 * 60_000;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO outbox (event_id, event, created_at) VALUES ('bad:event', '{\"type\":', ?1)").bind(old),
      env.DB.prepare("INSERT INTO outbox (event_id, event, created_at, queue) VALUES ('bad:job', '{\"v\":1}', ?1, 'nowhere')").bind(old),
    ]);
    expect(await sendUnsentEvents(env, Date.now())).toBe(0);
    expect(await rows()).toEqual(["bad:event", "bad:job"]);
    const alert = await env.DB.prepare("SELECT severity, state, detail FROM alerts WHERE key = 'outbox_unreadable'").first<{
      severity: string;
      state: string;
      detail: string;
    }>();
    expect(alert).toMatchObject({ severity: "critical", state: "firing" });
  });
});
