import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createIntakeApp } from "../../src/routes/app";
import { hooks } from "../../src/routes/hooks";
import { eventually, signedDelivery } from "../helpers/deliveries";
import { zillowLead } from "../ops/helpers";

/** A KV namespace that is unreachable: every call fails, as during a KV outage. */
const unreachable = new Proxy(
  {},
  {
    get: () => async () => {
      throw new Error("KV namespace unavailable");
    },
  },
) as KVNamespace;

const app = createIntakeApp();
app.route("/hooks", hooks);

describe("the intake while KV is unreachable", () => {
  it("still acknowledges and records a delivery, once, however often it is sent", async () => {
    const email = `kvout${crypto.randomUUID().slice(0, 8)}@example.com`;
    const d = await signedDelivery("zillow", zillowLead({ email, name: "Kay Outage", phone: "(512) 555-0177" }));
    const send = () =>
      app.request(
        "http://hub.test/hooks/zillow",
        { method: "POST", headers: d.headers, body: d.body },
        { ...env, IDEMPOTENCY: unreachable },
      );
    const first = await send();
    expect(first.status).toBe(202);
    // KV's "seen" fast path is down, so a copy is queued too: D1's unique key drops it.
    expect((await send()).status).toBe(202);
    const { id } = await first.json<{ id: string }>();
    await eventually(() => env.DB.prepare(`SELECT id FROM deliveries WHERE id = ?1`).bind(id).first(), 10_000);
    const person = await eventually(
      () =>
        env.DB.prepare(`SELECT person_id FROM person_keys WHERE kind = 'email' AND value = ?1`).bind(email).first<{ person_id: string }>(),
      15_000,
    );
    expect(person.person_id).toBeTruthy();
    const rows = await env.DB.prepare(`SELECT COUNT(*) AS n FROM deliveries WHERE payload LIKE '%' || ?1 || '%'`)
      .bind(email)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });
});
