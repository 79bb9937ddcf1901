import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { signGitHub } from "../../src/verify";
import { eventually, post, sampleBody, signedDelivery, type Source } from "../helpers/deliveries";

const SOURCES: Source[] = ["standard", "zillow", "realtor", "idx", "followupboss", "dotloop", "quickbooks", "docusign"];

async function deliveryRow(id: string) {
  return env.DB.prepare("SELECT * FROM deliveries WHERE id = ?1").bind(id).first<{ id: string; source: string; payload: string }>();
}

async function tracesOf(id: string) {
  const { results } = await env.DB.prepare("SELECT stage FROM traces WHERE subject = ?1 ORDER BY id").bind(id).all<{ stage: string }>();
  return results.map((r) => r.stage);
}

describe("POST /hooks/:source accepts a signed delivery from each source", () => {
  for (const source of SOURCES) {
    it(`${source}: 202, then recorded once in D1 with a RECEIVED trace`, async () => {
      const d = await signedDelivery(source, sampleBody(source, crypto.randomUUID()));
      const res = await post(d);
      expect(res.status).toBe(202);
      const { status, id } = await res.json<{ status: string; id: string }>();
      expect(status).toBe("queued");
      const row = await eventually(() => deliveryRow(id));
      expect(row.source).toBe(source);
      expect(JSON.parse(row.payload)).toEqual(JSON.parse(d.body));
      // RECEIVED on arrival, then NORMALIZED once the ingest consumer mapped it.
      expect(await eventually(async () => ((await tracesOf(id)).length >= 2 ? tracesOf(id) : null))).toEqual(["RECEIVED", "NORMALIZED"]);
    });
  }
});

describe("a delivery whose event type is an empty string", () => {
  it("is recorded and mapped like any other, not accepted and then dead-lettered", async () => {
    const body = { ...(sampleBody("zillow", crypto.randomUUID()) as Record<string, unknown>), type: "" };
    const res = await post(await signedDelivery("zillow", body));
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    expect((await eventually(() => deliveryRow(id))).source).toBe("zillow");
    expect(await eventually(async () => ((await tracesOf(id)).length >= 2 ? tracesOf(id) : null))).toEqual(["RECEIVED", "NORMALIZED"]);
  });
});

describe("the same delivery sent five times", () => {
  it("is answered duplicate after the first and recorded once", async () => {
    const d = await signedDelivery("zillow", sampleBody("zillow", crypto.randomUUID()), { id: `msg_${crypto.randomUUID()}` });
    const first = await post(d);
    expect(first.status).toBe(202);
    const { id } = await first.json<{ id: string }>();
    await eventually(() => deliveryRow(id));
    // The ingest consumer tells KV once D1 has the delivery; from then on copies are duplicates.
    const webhookId = d.headers["webhook-id"];
    await eventually(async () => (await env.IDEMPOTENCY.get(`seen:zillow:id:${webhookId}`)) === id);
    const later = [];
    for (let i = 0; i < 4; i++) later.push(await post(d));
    for (const r of later) {
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ status: "duplicate", id });
    }
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE delivery_key = ?1")
      .bind(`id:${webhookId}`)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it("is recorded once even when KV has not seen it yet (D1 unique key is the guarantee)", async () => {
    const body = sampleBody("followupboss", crypto.randomUUID());
    const d = await signedDelivery("followupboss", body);
    // Five concurrent copies race past the KV fast path together.
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => post(d)));
    for (const r of responses) expect([200, 202]).toContain(r.status);
    const key = `evt:${(body as { eventId: string }).eventId}`;
    await eventually(() => env.DB.prepare("SELECT id FROM deliveries WHERE delivery_key = ?1").bind(key).first());
    await new Promise((r) => setTimeout(r, 300)); // let every queued copy reach the consumer
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE delivery_key = ?1").bind(key).first<{ n: number }>();
    expect(n?.n).toBe(1);
    const traces = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM traces t JOIN deliveries d ON d.id = t.delivery_id WHERE d.delivery_key = ?1 AND t.stage = 'RECEIVED'",
    )
      .bind(key)
      .first<{ n: number }>();
    expect(traces?.n).toBe(1);
  });
});

describe("a captured delivery replayed with a header the signature does not cover rewritten", () => {
  // GitHub's scheme signs the body only; X-GitHub-Delivery travels beside it, unsigned.
  const githubIdx = { ...env, WEBHOOK_SCHEMES: JSON.stringify({ idx: "github" }) } as Env;
  const postWith = (e: Env, d: { headers: Record<string, string>; body: string }) =>
    worker.fetch(
      new Request("http://hub.test/hooks/idx", { method: "POST", headers: d.headers, body: d.body }),
      e,
      createExecutionContext(),
    );

  it("a fresh X-GitHub-Delivery id does not make it a new delivery: answered duplicate, recorded once", async () => {
    const body = JSON.stringify(sampleBody("idx", crypto.randomUUID()));
    const sign = async (delivery: string) => ({
      headers: { "content-type": "application/json", ...(await signGitHub({ secret: env.WEBHOOK_SECRET_IDX, body, delivery })) },
      body,
    });
    const original = await sign(crypto.randomUUID());
    const first = await postWith(githubIdx, original);
    expect(first.status).toBe(202);
    const { id } = await first.json<{ id: string }>();
    // Once ingested, the very same copy is a duplicate...
    await eventually(async () => (await postWith(githubIdx, original)).status === 200);
    // ...and so is every copy under a fresh, unsigned delivery id.
    for (let i = 0; i < 3; i++) {
      const r = await postWith(githubIdx, await sign(crypto.randomUUID()));
      expect({ status: r.status, body: await r.json() }).toEqual({ status: 200, body: { status: "duplicate", id } });
    }
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE source = 'idx' AND payload = ?1")
      .bind(body)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it("Dotloop: a retry arriving an hour after its (unsigned) timestamp is accepted, and its copies are duplicates", async () => {
    const body = sampleBody("dotloop", crypto.randomUUID());
    const late = await signedDelivery("dotloop", body, { now: Math.floor(Date.now() / 1000) - 3600 });
    const first = await post(late);
    expect(first.status).toBe(202);
    const { id } = await first.json<{ id: string }>();
    await eventually(() => deliveryRow(id));
    const fresh = await signedDelivery("dotloop", body);
    const copy = await eventually(async () => {
      const r = await post(fresh);
      return r.status === 200 ? r.json() : null;
    });
    expect(copy).toEqual({ status: "duplicate", id });
  });
});
