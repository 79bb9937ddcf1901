import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fireAlert, resolveAlert } from "../../src/alerts";
import { alertPayload, onFire, onResolve } from "../../src/alerts/policy";

async function log(key: string) {
  const { results } = await env.DB.prepare("SELECT kind FROM alert_log WHERE key = ?1 ORDER BY id").bind(key).all<{ kind: string }>();
  return results.map((r) => r.kind);
}

describe("alert de-duplication", () => {
  it("an outage seen two hundred times notifies once, and its recovery once", async () => {
    const t0 = Date.parse("2026-11-01T10:00:00Z");
    for (let i = 0; i < 200; i++) {
      await fireAlert(env, { key: "vendor_down:followupboss:main", severity: "critical", title: "FUB failing" }, 900, t0 + i * 100);
    }
    expect(await log("vendor_down:followupboss:main")).toEqual(["fired"]);
    const row = await env.DB.prepare("SELECT count, state FROM alerts WHERE key = 'vendor_down:followupboss:main'").first();
    expect(row).toEqual({ count: 200, state: "firing" });
    for (let i = 0; i < 5; i++) await resolveAlert(env, "vendor_down:followupboss:main", "FUB back", t0 + 200_000 + i);
    expect(await log("vendor_down:followupboss:main")).toEqual(["fired", "resolved"]);
  });

  it("a long outage reminds at most once per interval; a new outage after recovery fires again", () => {
    const first = onFire(null, 0, 900_000);
    expect(first).toMatchObject({ notify: true, kind: "fired" });
    expect(onFire({ state: "firing", notified_at: 0 }, 899_999, 900_000).notify).toBe(false);
    expect(onFire({ state: "firing", notified_at: 0 }, 900_000, 900_000)).toMatchObject({ notify: true, kind: "repeat" });
    expect(onResolve({ state: "firing", notified_at: 0 })).toMatchObject({ notify: true, kind: "resolved" });
    expect(onResolve({ state: "resolved", notified_at: 0 }).notify).toBe(false);
    expect(onFire({ state: "resolved", notified_at: 0 }, 1, 900_000)).toMatchObject({ notify: true, kind: "fired" });
  });
});

describe("alert text", () => {
  it("escapes Slack's control characters in titles and details, so a sender's text cannot ping or link", () => {
    const p = alertPayload({
      key: "k",
      severity: "warning",
      kind: "fired",
      title: "Drift from <!channel>",
      detail: "field <https://evil.example|click> & more",
    });
    expect(p.text).toBe("⚠️ Alert: Drift from &lt;!channel&gt; — field &lt;https://evil.example|click&gt; &amp; more");
    expect(p.blocks[0]?.text.text).toBe(p.text);
  });
});
