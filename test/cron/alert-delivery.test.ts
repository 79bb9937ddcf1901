import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fireAlert, resolveAlert } from "../../src/alerts";
import { runScheduled } from "../../src/cron";
import { SANDBOX } from "../helpers/sandbox";

/** The hub with its alert webhook pointed at the sandbox's chat receiver, answering `status`. */
const withReceiver = (status: number): Env => ({ ...env, ALERT_WEBHOOK_URL: `${SANDBOX}/chat/webhook/${status}` });

async function notices(key: string) {
  const { results } = await env.DB.prepare(`SELECT kind, sent_at, attempts FROM alert_log WHERE key = ?1 ORDER BY id`)
    .bind(key)
    .all<{ kind: string; sent_at: number | null; attempts: number }>();
  return results;
}

/** Each notice of the key, oldest first: its kind and when the webhook took it (null: not yet). */
const sentAt = async (key: string) => (await notices(key)).map((n) => [n.kind, n.sent_at]);

const notifiedAt = (key: string) =>
  env.DB.prepare(`SELECT notified_at FROM alerts WHERE key = ?1`)
    .bind(key)
    .first<{ notified_at: number | null }>()
    .then((r) => r?.notified_at);

describe("an alert the webhook does not take", () => {
  it("is not counted as sent on a 5xx, and the next cron run delivers it once the receiver is back", async () => {
    const key = `vendor_down:test:${crypto.randomUUID()}`;
    const t0 = Date.now();
    await fireAlert(withReceiver(503), { key, severity: "critical", title: "Vendor failing" }, 900, t0);
    expect(await notifiedAt(key)).toBeNull();
    expect(await notices(key)).toEqual([{ kind: "fired", sent_at: null, attempts: 1 }]);

    // Still firing: the undelivered notice speaks for the outage; no second notice piles up.
    await fireAlert(withReceiver(503), { key, severity: "critical", title: "Vendor failing" }, 900, t0 + 1_000);
    expect(await notices(key)).toHaveLength(1);

    // A cron run while the receiver still fails keeps it waiting.
    await runScheduled(createScheduledController({ scheduledTime: t0 + 300_000, cron: "*/5 * * * *" }), withReceiver(500));
    expect((await notices(key))[0]).toMatchObject({ sent_at: null, attempts: 2 });

    const t1 = t0 + 600_000;
    await runScheduled(createScheduledController({ scheduledTime: t1, cron: "*/5 * * * *" }), withReceiver(200));
    expect(await notices(key)).toEqual([{ kind: "fired", sent_at: t1, attempts: 3 }]);
    expect(await notifiedAt(key)).toBe(t1);
  });

  it("a refused recovery notice is retried too, in order after the alert it resolves", async () => {
    const key = `vendor_down:test:${crypto.randomUUID()}`;
    const t0 = Date.now();
    await fireAlert(withReceiver(200), { key, severity: "warning", title: "Slow vendor" }, 900, t0);
    await resolveAlert(withReceiver(429), key, "Vendor back", t0 + 1_000);
    expect(await sentAt(key)).toEqual([
      ["fired", t0],
      ["resolved", null],
    ]);
    await runScheduled(createScheduledController({ scheduledTime: t0 + 300_000, cron: "*/5 * * * *" }), withReceiver(204));
    expect(await sentAt(key)).toEqual([
      ["fired", t0],
      ["resolved", t0 + 300_000],
    ]);
  });

  it("a recovery waits behind its undelivered alert, so the receiver hears them in order", async () => {
    const key = `vendor_down:test:${crypto.randomUUID()}`;
    const t0 = Date.now();
    await fireAlert(withReceiver(503), { key, severity: "critical", title: "Vendor failing" }, 900, t0);
    // The receiver is back when the vendor recovers, before the cron has retried the alert.
    await resolveAlert(withReceiver(200), key, "Vendor back", t0 + 1_000);
    expect(await sentAt(key)).toEqual([
      ["fired", null],
      ["resolved", null],
    ]);
    const t1 = t0 + 300_000;
    await runScheduled(createScheduledController({ scheduledTime: t1, cron: "*/5 * * * *" }), withReceiver(200));
    expect(await sentAt(key)).toEqual([
      ["fired", t1],
      ["resolved", t1],
    ]);
  });

  it("a notice the receiver refuses for its own content does not hold back the alerts after it", async () => {
    const refused = `drift:test:${crypto.randomUUID()}`;
    const later = `vendor_down:test:${crypto.randomUUID()}`;
    const picky = { ...env, ALERT_WEBHOOK_URL: `${SANDBOX}/chat/webhook/200?refuse=${refused}` };
    const t0 = Date.now();
    await fireAlert(withReceiver(503), { key: refused, severity: "warning", title: "Drift" }, 900, t0);
    await fireAlert(withReceiver(503), { key: later, severity: "critical", title: "Vendor failing" }, 900, t0 + 1_000);

    const t1 = t0 + 300_000;
    await runScheduled(createScheduledController({ scheduledTime: t1, cron: "*/5 * * * *" }), picky);
    expect(await notices(refused)).toEqual([{ kind: "fired", sent_at: null, attempts: 2 }]);
    expect(await notices(later)).toEqual([{ kind: "fired", sent_at: t1, attempts: 2 }]);
  });

  it("with no webhook configured the stored row and the log line are the delivery", async () => {
    const key = `drift:test:${crypto.randomUUID()}`;
    const t0 = Date.now();
    await fireAlert({ ...env, ALERT_WEBHOOK_URL: "" }, { key, severity: "warning", title: "Drift" }, 900, t0);
    expect(await notices(key)).toEqual([{ kind: "fired", sent_at: t0, attempts: 1 }]);
    expect(await notifiedAt(key)).toBe(t0);
  });
});
