import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventually, post, sampleBody, signedDelivery } from "../helpers/deliveries";

interface DriftRow {
  field: string;
  kind: string;
  sample: string | null;
}

// Names a sender chose: Slack markup, and an address (which must not reach the logs either).
const HOSTILE = ["<!channel>", "<https://evil.example/login|Reset your password>", "fish & <chips>", "ana.ruiz@example.com"];

describe("one signed delivery carrying hundreds of unknown fields", () => {
  it("records at most 20 drift rows plus a count of the rest, raises one alert with Slack markup escaped, and logs no field name", async () => {
    const t0 = Date.now();
    const body = sampleBody("zillow", crypto.randomUUID()) as { data: Record<string, unknown> };
    for (const name of HOSTILE) body.data[name] = "x";
    for (let i = 0; i < 500; i++) body.data[`flood_${String(i).padStart(3, "0")}`] = i;
    const res = await post(await signedDelivery("zillow", body));
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    await eventually(() => env.DB.prepare("SELECT 1 FROM deliveries WHERE id = ?1 AND status = 'normalized'").bind(id).first(), 15_000);

    const { results } = await env.DB.prepare("SELECT field, kind, sample FROM drift WHERE source = 'zillow' AND last_seen >= ?1")
      .bind(t0)
      .all<DriftRow>();
    const fields = results.filter((r) => r.kind === "unknown_field");
    expect(fields.length).toBe(20);
    // The first fields of the body are the ones listed, the hostile names among them.
    expect(fields.map((r) => r.field)).toEqual(expect.arrayContaining(HOSTILE.map((n) => `data.${n}`)));
    expect(results.filter((r) => r.kind === "truncated")).toEqual([
      { field: "*", kind: "truncated", sample: `484 more in delivery ${id}` },
    ]);

    const alerts = await env.DB.prepare("SELECT key, payload FROM alert_log WHERE at >= ?1 AND key LIKE 'drift:%'")
      .bind(t0)
      .all<{ key: string; payload: string }>();
    expect(alerts.results.map((a) => a.key)).toEqual(["drift:zillow:unknown_field"]);
    const text = (JSON.parse(alerts.results[0]?.payload ?? "{}") as { text: string }).text;
    expect(text).toContain("504 fields");
    expect(text).toContain("and 499 more");
    expect(text).toContain("data.&lt;!channel&gt;");
    expect(text).toContain("data.fish &amp; &lt;chips&gt;");
    for (const raw of ["<!channel>", "<https://", "<chips>"]) expect(text).not.toContain(raw);
  });
});
