import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { post, sampleBody, signedDelivery } from "../helpers/deliveries";

/** The access-log lines (`msg: "request"`) written while `run` runs, at any level. */
async function accessLines(run: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const spies = (["log", "warn", "error"] as const).map((m) => vi.spyOn(console, m));
  try {
    await run();
    return spies.flatMap((s) => s.mock.calls.map((args) => args[0] as Record<string, unknown>)).filter((l) => l?.msg === "request");
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

describe("the access log of webhook deliveries", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes no line for a delivery it queued", async () => {
    const d = await signedDelivery("idx", sampleBody("idx", crypto.randomUUID()));
    const queued = await accessLines(async () => {
      expect((await post(d)).status).toBe(202);
    });
    expect(queued).toEqual([]);
  });

  it("logs a copy it answered as a duplicate, and times every answer in Server-Timing", async () => {
    const d = await signedDelivery("idx", sampleBody("idx", crypto.randomUUID()));
    await env.IDEMPOTENCY.put(`seen:idx:id:${d.headers["webhook-id"]}`, "delivery-recorded-before");
    const lines = await accessLines(async () => {
      const res = await post(d);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "duplicate", id: "delivery-recorded-before" });
      expect(res.headers.get("server-timing")).toMatch(/^app;dur=\d+$/);
      const queued = await post(await signedDelivery("idx", sampleBody("idx", crypto.randomUUID())));
      expect(queued.status).toBe(202);
      expect(queued.headers.get("server-timing")).toMatch(/^app;dur=\d+$/);
    });
    expect(lines).toEqual([expect.objectContaining({ level: "info", path: "/hooks/idx", source: "idx", status: 200 })]);
  });

  it("logs every refusal with its source, status and problem code, and times it", async () => {
    const d = await signedDelivery("idx", sampleBody("idx", crypto.randomUUID()));
    const lines = await accessLines(async () => {
      expect((await post({ ...d, headers: { ...d.headers, "webhook-signature": "v1,AAAA" } })).status).toBe(401);
      expect((await post(d, "/hooks/nowhere")).status).toBe(404);
      const get = await exports.default.fetch("http://hub.test/hooks/idx");
      expect(get.status).toBe(405);
      expect(get.headers.get("server-timing")).toMatch(/^app;dur=\d+$/);
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: "info", path: "/hooks/idx", source: "idx", status: 401, code: "signature_invalid" }),
      expect.objectContaining({ level: "info", path: "/hooks/nowhere", status: 404, code: "source_unknown" }),
      expect.objectContaining({ level: "info", method: "GET", path: "/hooks/idx", status: 405, code: "method_not_allowed" }),
    ]);
  });
});

describe("the request id of a refusal", () => {
  const refused = async (cfRay: string) => {
    const d = await signedDelivery("idx", sampleBody("idx", crypto.randomUUID()));
    const res = await post({ ...d, headers: { ...d.headers, "webhook-signature": "v1,AAAA", "cf-ray": cfRay } });
    expect(res.status).toBe(401);
    return (await res.json<{ requestId: string }>()).requestId;
  };

  it("is the edge's ray id, so a problem document matches the platform's own log", async () => {
    expect(await refused("8c1f4b2a3d5e6f70-SJC")).toBe("8c1f4b2a3d5e6f70-SJC");
  });

  it("is a fresh id when cf-ray is not shaped like one, however long the client made it", async () => {
    for (const junk of ["r".repeat(64 * 1024), "'; DROP TABLE deliveries; --", ""]) {
      const id = await refused(junk);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
