import { env } from "cloudflare:workers";
import { underContract } from "../helpers/deal-events";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Deal } from "../../src/canonical";
import { brokerageConfig } from "../../src/config/load";
import { handleCreateTransaction } from "../../src/consumers/tms-create";
import { findExternalId } from "../../src/store/links";
import { tmsFor } from "../../src/vendors/systems";
import { SkySlopeTms } from "../../src/vendors/skyslope/tms";
import { connect } from "../helpers/people";
import { setSettings } from "../helpers/sandbox";
import { kind, open, uid } from "../vendors/support";

/** A deal under contract with its buyer, as the CRM side hands it to the TMS. */
function deal(street: string): Deal {
  return {
    id: `deal_${crypto.randomUUID()}`,
    stage: "under_contract",
    purchasePrice: 39_000_000,
    dates: { contract: "2026-11-02" },
    participants: [
      {
        role: "buyer",
        person: { firstName: "Bea", lastName: "Partial", emails: [{ value: `bea.${uid()}@example.com` }], phones: [], roles: [], tags: [] },
      },
    ],
    property: { address: { number: street, street: "Alder", suffix: "Ln", city: "Austin", state: "TX", zip: "78703" } },
    agent: { name: "Alex Kim", email: "alex@example-brokerage.test" },
  };
}

const tracesOf = (dealId: string) =>
  env.DB.prepare("SELECT stage, outcome, detail FROM traces WHERE subject = ?1 ORDER BY id")
    .bind(dealId)
    .all<{ stage: string; outcome: string; detail: string }>()
    .then((r) => r.results);
const alertOf = (key: string) =>
  env.DB.prepare("SELECT state, detail FROM alerts WHERE key = ?1").bind(key).first<{ state: string; detail: string }>();

describe("a transaction the TMS created without a part it takes in a call of its own", () => {
  beforeAll(async () => {
    await connect("dotloop");
  });
  afterEach(async () => {
    await setSettings("skyslope", { rejectWrites: null });
    await setSettings("dotloop", { rejectWrites: null });
  });

  it("a SkySlope sale whose buyer contact was refused is linked, traced as incomplete on the deal, and alerted", async () => {
    await setSettings("skyslope", { rejectWrites: { match: "^POST \\S*/buyerContact", status: 400 } });
    const d = deal(String(1000 + Math.floor(Math.random() * 8000)));
    const tms = new SkySlopeTms(open("skyslope:main", { id: `skyslope:i${uid()}` }));
    expect(await handleCreateTransaction(underContract(d), env, brokerageConfig(env), tms)).toEqual({ ok: true, value: "created" });

    const saleGuid = await findExternalId(env.DB, d.id ?? "", "skyslope", "transaction");
    expect((await kind<{ saleGuid: string }>("skyslope", "sale")).map((s) => s.saleGuid)).toContain(saleGuid);
    const traces = await tracesOf(d.id ?? "");
    expect(traces.map((t) => t.stage)).toEqual(["TMS_CREATED", "TMS_INCOMPLETE"]);
    expect(traces[1]).toMatchObject({ outcome: "error", detail: expect.stringMatching(/without buyer contact \(skyslope_400\)/) });
    const alert = await alertOf("tms_incomplete:skyslope");
    expect(alert?.state).toBe("firing");
    expect(alert?.detail).toContain(`(deal ${d.id})`);
  });

  it("a Dotloop loop whose details were refused is linked, traced as incomplete on the deal, and alerted", async () => {
    await setSettings("dotloop", { rejectWrites: { match: "^PATCH \\S*/detail", status: 400 } });
    const d = deal(String(1000 + Math.floor(Math.random() * 8000)));
    const config = brokerageConfig(env);
    expect(await handleCreateTransaction(underContract(d), env, config, tmsFor(env, config))).toEqual({ ok: true, value: "created" });

    expect(await findExternalId(env.DB, d.id ?? "", "dotloop", "transaction")).not.toBeNull();
    const traces = await tracesOf(d.id ?? "");
    expect(traces.map((t) => t.stage)).toEqual(["TMS_CREATED", "TMS_INCOMPLETE"]);
    expect(traces[1]?.detail).toMatch(/without loop details \(dotloop_400\)/);
    expect((await alertOf("tms_incomplete:dotloop"))?.state).toBe("firing");
  });

  it("a transaction made whole is traced as created only, and raises nothing", async () => {
    const d = deal(String(1000 + Math.floor(Math.random() * 8000)));
    const config = brokerageConfig(env);
    const before = await alertOf("tms_incomplete:dotloop");
    expect(await handleCreateTransaction(underContract(d), env, config, tmsFor(env, config))).toEqual({ ok: true, value: "created" });
    expect((await tracesOf(d.id ?? "")).map((t) => t.stage)).toEqual(["TMS_CREATED"]);
    expect(await alertOf("tms_incomplete:dotloop")).toEqual(before);
  });
});
