import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { cliAgainst } from "./cli-harness";
import { seedBrokerage } from "../backfill/helpers";
import { connect } from "../helpers/people";
import { eventually } from "../helpers/deliveries";
import { records, resetSandbox } from "../helpers/sandbox";
import { hub, ORIGIN } from "./helpers";
import { applyBackfill } from "../../src/backfill/apply";
import { withQueuesDown } from "../helpers/queues";

/** The hub's queues and consumers run for real; the CLI's progress polling waits at most 200 ms. */
const dealwire = cliAgainst(env, { shortWaits: true });

describe("dealwire backfill against the running hub", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("dotloop");
    await connect("quickbooks");
    await seedBrokerage({ seed: 5, people: 30, deals: 12, transactions: 8, customers: 6 });
  }, 60_000);

  it("status before any run says how to start one", async () => {
    const r = await dealwire("backfill", "status");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/404 not_found: No backfill has run yet/);
  });

  it("start follows the run to its end with a progress bar, then status, the report and apply", async () => {
    const start = await dealwire("backfill", "start");
    expect(start.code, start.err).toBe(0);
    expect(start.err).toMatch(/\[[#.]{30}\]\s+\d+% (crm|tms|accounting|match)\S* · \d+ records · /);
    expect(start.out).toMatch(/^backfill bf_\S+: done, phase done, \d+ records in \d+ pages/m);
    expect(start.out).toMatch(/^crm\.people\s+1\s+3\d\s/m);
    expect(start.out).toMatch(/^tms\.transactions\s+1\s+8\s/m);
    expect(start.out).toMatch(/^accounting\.customers\s+1\s+6\s/m);

    const status = JSON.parse((await dealwire("backfill", "status", "--json")).out) as {
      id: string;
      status: string;
      etaSeconds: number;
      progress: Record<string, { records: number; calls: number }>;
    };
    expect(status).toMatchObject({ status: "done", etaSeconds: 0 });
    expect(status.progress["crm.deals"]).toMatchObject({ records: 12 });

    const csv = await dealwire("backfill", "report", "--format", "csv");
    expect(csv.out.split("\n")[0]).toBe("section,record,field,value,system,other_value,other_system");
    expect(csv.out).toMatch(/^unmatched,/m);
    const md = await dealwire("backfill", "report");
    expect(md.out).toMatch(/^\| matched \| ambiguous \| conflicting \| unmatched \|/m);

    const report = JSON.parse((await dealwire("backfill", "report", "--json")).out) as {
      writebacks: Array<{ deal: string; externalId: string }>;
    };
    const wb = report.writebacks[0];
    if (!wb) throw new Error("the seed has transactions the CRM deals do not name");
    const fubDeal = await env.DB.prepare(
      "SELECT external_id FROM links WHERE canonical_id = ?1 AND system = 'followupboss' AND kind = 'deal'",
    )
      .bind(wb.deal)
      .first<{ external_id: string }>();
    const crmDeal = async () =>
      ((await records<{ deal: Array<{ id: number; custom: Record<string, unknown> }> }>("followupboss")).deal ?? []).find(
        (d) => String(d.id) === fubDeal?.external_id,
      );
    expect((await crmDeal())?.custom.customTransactionID).toBeUndefined();

    // With the CRM queue down, apply is refused 503 and the run stays unapplied, to apply again.
    const refused = await applyBackfill(withQueuesDown(env, "CRM"), status.id, Date.now());
    expect(refused).toMatchObject({ ok: false, code: "queue_unavailable" });
    expect((await env.DB.prepare("SELECT applied_at FROM backfill_runs WHERE id = ?1").bind(status.id).first())?.applied_at).toBeNull();

    const apply = await dealwire("backfill", "apply", status.id);
    expect(apply.code, apply.err).toBe(0);
    expect(apply.out).toMatch(new RegExp(`^applied ${status.id}: \\d+ transaction ids to write back, \\d+ contacts to sync`));
    // Through the CRM queue's normal flow, the CRM deal now names its transaction.
    await eventually(async () => (await crmDeal())?.custom.customTransactionID === wb.externalId, 30_000);
  }, 120_000);

  it("the dashboard's backfill page shows the progress, the four counts with their rows, and both exports", async () => {
    const login = await hub.request(
      `${ORIGIN}/ops/login`,
      {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: env.OPS_TOKEN }),
      },
      env,
    );
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const page = async (path: string) => {
      const res = await hub.request(`${ORIGIN}/ops${path}`, { headers: { cookie } }, env);
      return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
    };
    const html = (await page("/backfill")).text;
    expect(html).toContain(`<a href="/ops/backfill" aria-current="page">Backfill</a>`);
    for (const label of ["matched", "ambiguous", "conflicting", "unmatched"])
      expect(html).toMatch(new RegExp(`<div class="card">${label}<b>\\d+</b>`));
    expect(html).toMatch(/<td>accounting\.customers<\/td>(<td class="n">\d+<\/td>){4}<td>done<\/td>/);
    expect(html).toContain("In one system only");
    const md = await page("/backfill/report.md");
    expect(md.type).toMatch(/^text\/markdown/);
    expect(md.text).toMatch(/^# Backfill bf_/);
    const csv = await page("/backfill/report.csv");
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text).toMatch(/^section,record,field/);
  });

  it("a usage error exits 2", async () => {
    expect((await dealwire("backfill", "apply")).code).toBe(2);
    expect((await dealwire("backfill", "report", "--format", "xml")).code).toBe(2);
  });
});
