import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountingMessage } from "../../src/consumers/accounting";
import { closedTransaction } from "../helpers/deal-events";
import { connect } from "../helpers/people";
import { records, resetSandbox } from "../helpers/sandbox";

/** `env` whose D1 loses its connection on the first write of a link, as D1 does for a moment. */
function firstLinkLost(): Env {
  let lost = false;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare")
        return (sql: string) => {
          if (lost || !sql.trimStart().startsWith("INSERT INTO links")) return target.prepare(sql);
          lost = true;
          const refused = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
          return { bind: () => ({ first: refused, run: refused, all: refused }) };
        };
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return new Proxy(env, { get: (target, key) => (key === "DB" ? db : Reflect.get(target, key, target)) });
}

type QboDocs = Record<string, Array<{ Id: string; PrivateNote?: string }> | undefined>;

const documentsOf = async (dealId: string) => {
  const qbo = await records<QboDocs>("quickbooks");
  return [...(qbo["qbo:Invoice"] ?? []), ...(qbo["qbo:SalesReceipt"] ?? [])].filter((d) => d.PrivateNote?.startsWith(`dealwire ${dealId}`));
};

describe("a commission QuickBooks took while D1 failed to record its link", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("quickbooks");
  });

  it("is linked to the deal once D1 answers, so a later copy of the close finds it invoiced and makes no second document", async () => {
    const { dealId, message } = closedTransaction();
    expect(await accountingMessage(message, firstLinkLost())).toEqual({ ok: true, value: "invoiced" });
    const docs = await documentsOf(dealId);
    expect(docs).toHaveLength(1);
    const link = await env.DB.prepare("SELECT external_id FROM links WHERE canonical_id = ?1 AND kind = 'invoice'")
      .bind(dealId)
      .first<{ external_id: string }>();
    expect(link?.external_id).toBe(docs[0]?.Id);
    const traces = await env.DB.prepare("SELECT COUNT(*) AS n FROM traces WHERE subject = ?1 AND stage = 'INVOICED'")
      .bind(dealId)
      .first<number>("n");
    expect(traces).toBe(1);

    expect(await accountingMessage(message, env)).toEqual({ ok: true, value: "already_invoiced" });
    expect(await documentsOf(dealId)).toHaveLength(1);
  });
});
