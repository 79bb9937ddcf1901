import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { runScheduled } from "../../src/cron";
import worker from "../../src/index";
import { withJobsHeld } from "../helpers/queues";
import { eventually, post, sampleBody, signedDelivery, type Delivery } from "../helpers/deliveries";

async function expectProblem(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const p = await res.json<Record<string, unknown>>();
  expect(p).toMatchObject({ status, code });
  expect(typeof p.title).toBe("string");
  expect(typeof p.detail).toBe("string");
  expect(String(p.type)).toContain(code.replaceAll("_", "-"));
}

async function tamper(d: Delivery, f: (d: Delivery) => Delivery): Promise<Delivery> {
  return f({ ...d, headers: { ...d.headers } });
}

describe("bad deliveries get their status and code, and nothing is queued or written", () => {
  it("rejects each kind of bad delivery, then records only the one good delivery", async () => {
    const good = await signedDelivery("idx", sampleBody("idx", crypto.randomUUID()));
    const stale = await signedDelivery("idx", sampleBody("idx", "stale"), { now: Math.floor(Date.now() / 1000) - 3600 });
    const future = await signedDelivery("idx", sampleBody("idx", "future"), { now: Math.floor(Date.now() / 1000) + 3600 });
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ["bad signature", post(await tamper(good, (d) => ({ ...d, body: d.body.replace("Sam", "Pam") }))), 401, "signature_invalid"],
      [
        "missing signature",
        post(
          await tamper(good, (d) => {
            delete d.headers["webhook-signature"];
            return d;
          }),
        ),
        401,
        "signature_missing",
      ],
      ["stale timestamp", post(stale), 401, "timestamp_stale"],
      ["future timestamp", post(future), 401, "timestamp_stale"],
      ["oversized body", post({ ...good, body: JSON.stringify({ type: "x", data: "a".repeat(300 * 1024) }) }), 413, "payload_too_large"],
      ["wrong content type", post({ ...good, headers: { ...good.headers, "content-type": "text/plain" } }), 415, "unsupported_media_type"],
      [
        "missing content type",
        post(
          await tamper(good, (d) => {
            delete d.headers["content-type"];
            return d;
          }),
        ),
        415,
        "unsupported_media_type",
      ],
      ["malformed JSON", post(await signedDelivery("idx", '{"type": "lead.created", "data": {')), 400, "malformed_json"],
      ["not an envelope", post(await signedDelivery("idx", "[1,2,3]")), 400, "envelope_invalid"],
      ["unknown source", post(good, "/hooks/craigslist"), 404, "source_unknown"],
    ];
    for (const [name, pending, status, code] of cases) {
      const res = await pending;
      try {
        await expectProblem(res, status, code);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`);
      }
    }
    const ok = await post(good);
    expect(ok.status).toBe(202);
    const { id } = await ok.json<{ id: string }>();
    await eventually(() => env.DB.prepare("SELECT id FROM deliveries WHERE id = ?1").bind(id).first());
    await new Promise((r) => setTimeout(r, 200));
    // The queue is FIFO here: had any rejected delivery been queued, it would be recorded by now.
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM deliveries").first<{ n: number }>();
    expect(n?.n).toBe(1);
    const keys = await env.IDEMPOTENCY.list({ prefix: "seen:" });
    expect(keys.keys.map((k) => k.name)).toEqual([`seen:idx:id:${good.headers["webhook-id"]}`]);
  });

  it("refuses a body over the cap even when Content-Length understates it", async () => {
    const body = JSON.stringify({ type: "x", data: "a".repeat(300 * 1024) });
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(body));
        c.close();
      },
    });
    const res = await (await import("cloudflare:workers")).exports.default.fetch("http://hub.test/hooks/idx", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
    });
    await expectProblem(res, 413, "payload_too_large");
  });
});

describe("bodies the queue could not carry are refused up front", () => {
  it("refuses JSON nested beyond the limit with envelope_invalid, and accepts ordinary depth", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 5_000; i++) deep = [deep];
    const tooDeep = await post(await signedDelivery("idx", { type: "lead.created", data: { firstName: "Deep", nested: deep } }));
    await expectProblem(tooDeep, 400, "envelope_invalid");
    const ok = await post(
      await signedDelivery("idx", { type: "lead.created", data: { firstName: "Fine", email: "fine@example.com", nested: [[[["a"]]]] } }),
    );
    expect(ok.status).toBe(202);
  });

  it("a delivery id too long or not plain ASCII for a KV key is hashed, not refused with a 500", async () => {
    const long = await signedDelivery("idx", sampleBody("idx", crypto.randomUUID()), { id: `msg_${"l".repeat(600)}` });
    const first = await post(long);
    expect(first.status).toBe(202);
    const { id } = await first.json<{ id: string }>();
    // Once ingested, a copy is answered from the KV key the hashed id made.
    const copy = await eventually(async () => {
      const r = await post(long);
      return r.status === 200 ? r.json() : null;
    });
    expect(copy).toEqual({ status: "duplicate", id });
    const lone = await signedDelivery("followupboss", {
      ...(sampleBody("followupboss", "x") as object),
      eventId: `fub-\ud800-${crypto.randomUUID()}`,
    });
    expect((await post(lone)).status).toBe(202);
  });
});

describe("a source the hub is not configured to verify", () => {
  /** Sends `d` to the hub configured with `e`, and waits for the work the request left behind. */
  const send = async (e: Partial<Env>, d: Delivery) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`http://hub.test/hooks/${d.source}`, { method: "POST", headers: d.headers, body: d.body }),
      { ...env, ...e } as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };

  it("answers a generic 500 that names no configuration, and logs the detail for the operator", async () => {
    const errors = vi.spyOn(console, "error");
    try {
      const noSecret = await send({ WEBHOOK_SECRET_REALTOR: "" }, await signedDelivery("realtor", sampleBody("realtor", "cfg")));
      const badScheme = await send(
        { WEBHOOK_SCHEMES: JSON.stringify({ idx: { kind: "hmac", header: "X Sig", algorithm: "MD5", encoding: "hex" } }) },
        await signedDelivery("idx", sampleBody("idx", "cfg")),
      );
      for (const res of [noSecret, badScheme]) {
        await expectProblem(res.clone(), 500, "internal");
        const text = await res.text();
        for (const secretive of ["WEBHOOK_SECRET", "REALTOR", "WEBHOOK_SCHEMES", "X Sig", "MD5", "algorithm", "secret", "configur"]) {
          expect(text.toLowerCase()).not.toContain(secretive.toLowerCase());
        }
      }
      const logged = errors.mock.calls.map((args) => args[0] as Record<string, unknown>).filter((l) => l.msg === "webhook_misconfigured");
      expect(logged).toEqual([
        expect.objectContaining({ source: "realtor", code: "secret_missing", detail: "WEBHOOK_SECRET_REALTOR is not set." }),
        expect.objectContaining({ source: "idx", code: "config_invalid", detail: expect.stringContaining("WEBHOOK_SCHEMES.idx") }),
      ]);
    } finally {
      errors.mockRestore();
    }
  });

  it("raises the alert once a minute, not once per delivery: anyone may post to a source, and each firing writes D1", async () => {
    const stranger: Delivery = {
      source: "docusign",
      headers: { "content-type": "application/json" },
      body: "{}",
    };
    for (let i = 0; i < 5; i++) expect((await send({ WEBHOOK_SECRET_DOCUSIGN: "" }, stranger)).status).toBe(500);
    const row = await env.DB.prepare("SELECT state, count FROM alerts WHERE key = 'webhook_misconfigured:docusign'").first<{
      state: string;
      count: number;
    }>();
    expect(row).toEqual({ state: "firing", count: 1 });
  });

  it("raises an alert per source for the operator, critical when the scheme table is broken, resolved once the source verifies again", async () => {
    expect((await send({ WEBHOOK_SECRET_ZILLOW: "" }, await signedDelivery("zillow", sampleBody("zillow", "alert")))).status).toBe(500);
    const schemes = JSON.stringify({ realtor: { kind: "hmac", header: "X Sig", algorithm: "MD5", encoding: "hex" } });
    expect((await send({ WEBHOOK_SCHEMES: schemes }, await signedDelivery("realtor", sampleBody("realtor", "alert")))).status).toBe(500);
    const alert = (source: string) =>
      env.DB.prepare("SELECT severity, state, detail FROM alerts WHERE key = ?1")
        .bind(`webhook_misconfigured:${source}`)
        .first<{ severity: string; state: string; detail: string }>();
    expect(await alert("zillow")).toMatchObject({
      severity: "warning",
      state: "firing",
      detail: "secret_missing: WEBHOOK_SECRET_ZILLOW is not set.",
    });
    expect(await alert("realtor")).toMatchObject({ severity: "critical", state: "firing" });

    // The deploy that sets the secret and fixes the table: the next scheduled run resolves both.
    await runScheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), withJobsHeld(env));
    expect((await alert("zillow"))?.state).toBe("resolved");
    expect((await alert("realtor"))?.state).toBe("resolved");
  });
});
