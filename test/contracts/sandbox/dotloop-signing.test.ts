/**
 * Dotloop's signature is unsettled in published material (the raw body, or `timestamp.body`), as is
 * whether a retry keeps its first timestamp. The sandbox can send each variant; a delivery of each
 * verifies with the hub's own verifier configured for it, and not with the other.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { DotloopTms } from "../../../src/vendors/dotloop/tms";
import { verifyWebhook } from "../../../src/verify";
import { connectFlow, open, sandbox, setSettings, sleep, uid } from "../../vendors/support";

interface Sent {
  headers: Record<string, string>;
  body: string;
}

async function deliveriesOfNewLoop(): Promise<Sent[]> {
  const id = `dotloop:agent-s${uid()}`;
  expect((await connectFlow("dotloop", id)).done.status).toBe(200);
  const street = String(1000 + Math.floor(Math.random() * 8000));
  const made = await new DotloopTms(open(id)).createTransaction({
    reference: `deal_${crypto.randomUUID()}`,
    deal: {
      id: `deal_${uid()}`,
      stage: "under_contract",
      dates: {},
      participants: [],
      property: { address: { number: street, street: "Main", city: "Chicago", state: "IL", zip: "60614" } },
    },
  });
  if (!made.ok) throw new Error(made.error.message);
  const sent = await sandbox<Sent[]>("/_sandbox/outbox?source=dotloop");
  return sent.filter((s) => s.body.includes(`"${made.value.externalId}"`));
}

const verify = (d: Sent, signed: "body" | "timestamp.body") =>
  verifyWebhook({
    scheme: { kind: "dotloop", signed },
    secret: env.WEBHOOK_SECRET_DOTLOOP,
    headers: d.headers,
    body: d.body,
    now: Math.floor(Date.now() / 1000),
  });

afterEach(async () => {
  await setSettings("dotloop", { dotloopSigning: "body", dotloopRetryTimestamp: "each" });
});

describe("Dotloop's published signing variants", () => {
  for (const [signed, other] of [
    ["body", "timestamp.body"],
    ["timestamp.body", "body"],
  ] as const) {
    it(`a delivery signed over ${signed} verifies with the hub configured for ${signed}, and not for ${other}`, async () => {
      await setSettings("dotloop", { dotloopSigning: signed });
      const sent = await deliveriesOfNewLoop();
      expect(sent.length).toBeGreaterThan(0);
      for (const d of sent) {
        expect(await verify(d, signed)).toMatchObject({ ok: true });
        expect(await verify(d, other)).toMatchObject({ ok: false, code: "signature_invalid" });
      }
    });
  }

  it("a retry carries a fresh timestamp by default, and its first one when the sandbox is set so", async () => {
    const stamps = async () => {
      const [d] = await deliveriesOfNewLoop();
      if (!d) throw new Error("no delivery");
      await sleep(5);
      const again = (await sandbox<Sent[]>("/_sandbox/outbox?source=dotloop")).find((x) => x.body === d.body);
      return [
        d.headers["X-DOTLOOP-TIMESTAMP"] ?? d.headers["x-dotloop-timestamp"],
        again?.headers["X-DOTLOOP-TIMESTAMP"] ?? again?.headers["x-dotloop-timestamp"],
      ];
    };
    const [a, b] = await stamps();
    expect(a).not.toBe(b);
    await setSettings("dotloop", { dotloopRetryTimestamp: "first" });
    const [c, d] = await stamps();
    expect(c).toBe(d);
  });
});
