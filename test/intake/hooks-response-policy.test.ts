import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventually, post, sampleBody, signedDelivery, type Delivery } from "../helpers/deliveries";

async function problemOf(res: Response): Promise<{ status: number; code: unknown; httpStatus: number }> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const p = await res.json<{ status: number; code: unknown }>();
  return { ...p, httpStatus: res.status };
}

function withSignature(d: Delivery, header: string, value: string): Delivery {
  return { ...d, headers: { ...d.headers, [header]: value } };
}

describe("each webhook source is refused the way its vendor publishes", () => {
  it("answers QuickBooks 403 to a bad signature and never 400 to an unreadable body, with the problem's code, and queues nothing", async () => {
    const good = await signedDelivery("quickbooks", sampleBody("quickbooks", "policy-1"));
    const badSig = await problemOf(
      await post(withSignature(good, "intuit-signature", "AAAA" + (good.headers["intuit-signature"] ?? "").slice(4))),
    );
    expect(badSig).toMatchObject({ httpStatus: 403, status: 403, code: "signature_invalid" });
    const unsigned = { ...good, headers: Object.fromEntries(Object.entries(good.headers).filter(([k]) => k !== "intuit-signature")) };
    expect(await problemOf(await post(unsigned))).toMatchObject({ httpStatus: 403, code: "signature_missing" });
    const malformed = await problemOf(await post(await signedDelivery("quickbooks", '{"eventNotifications": [')));
    expect(malformed.code).toBe("malformed_json");
    expect(malformed.httpStatus).not.toBe(400);
    expect(malformed.httpStatus).toBeGreaterThanOrEqual(400);
    const notEnvelope = await problemOf(await post(await signedDelivery("quickbooks", { hello: "world" })));
    expect(notEnvelope.code).toBe("envelope_invalid");
    expect(notEnvelope.httpStatus).not.toBe(400);
    expect(notEnvelope.httpStatus).toBeGreaterThanOrEqual(400);

    // A good delivery after them is the only one recorded.
    const ok = await post(good);
    expect(ok.status).toBe(202);
    const { id } = await ok.json<{ id: string }>();
    await eventually(() => env.DB.prepare("SELECT id FROM deliveries WHERE id = ?1").bind(id).first());
    await new Promise((r) => setTimeout(r, 200));
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE source = 'quickbooks'").first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it("keeps the catalogue's 401 and 400 for sources that publish no other guidance", async () => {
    const fub = await signedDelivery("followupboss", sampleBody("followupboss", "policy-2"));
    expect(await problemOf(await post(withSignature(fub, "FUB-Signature", "0".repeat(64))))).toMatchObject({
      httpStatus: 401,
      code: "signature_invalid",
    });
    expect(await problemOf(await post(await signedDelivery("followupboss", "{not json")))).toMatchObject({
      httpStatus: 400,
      code: "malformed_json",
    });
  });
});
