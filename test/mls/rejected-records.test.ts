import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { resetSandbox } from "../helpers/sandbox";
import { drain, heldKeys, mlsControl, mlsSetup, MLS_ID, syncedFeed } from "./helpers";

const ALERT = `mls_rejected:${MLS_ID}`;

const alert = () =>
  env.DB.prepare("SELECT state, severity, detail FROM alerts WHERE key = ?1")
    .bind(ALERT)
    .first<{ state: string; severity: string; detail: string }>();

// RESO Data Dictionary 2.0: StandardStatus is a closed lookup; a feed that puts a local status
// there (one an MLS keeps in MlsStatus) serves records the hub cannot read as listings.
describe("an MLS record the hub cannot read", () => {
  const s = mlsSetup();
  let bad = "";
  let good = "";
  let price = 0;

  beforeAll(async () => {
    await syncedFeed(s, 30, {});
    await env.DB.prepare("DELETE FROM alerts WHERE key = ?1").bind(ALERT).run();
    [bad, good] = (await heldKeys()).slice(0, 2).map((k) => k.key) as [string, string];
    await mlsControl("change", { action: "status", to: "Sold", keys: [bad] });
    const { changed } = await mlsControl<{ changed: Array<{ ListPrice: number }> }>("change", { action: "price", keys: [good] });
    price = changed[0]?.ListPrice ?? 0;
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 30 * 60_000);
    await drain(s, 30);
  });

  it("raises an alert naming the record and the field it could not read", async () => {
    const a = await alert();
    expect(a).toMatchObject({ state: "firing", severity: "warning" });
    expect(a?.detail).toContain(bad);
    expect(a?.detail).toContain("StandardStatus");
  });

  it("traces the refused record and still applies the page's other changes", async () => {
    const trace = await env.DB.prepare("SELECT outcome FROM traces WHERE subject = ?1 AND stage = 'LISTING_REJECTED'")
      .bind(`listing:${bad}`)
      .first<string>("outcome");
    expect(trace).toBe("error");
    const held = await env.DB.prepare("SELECT list_price_cents FROM listings WHERE connection = ?1 AND listing_key = ?2")
      .bind(MLS_ID, good)
      .first<number>("list_price_cents");
    expect(held).toBe(price * 100);
  });

  it("raises no alert for a poll whose records all read", async () => {
    await env.DB.prepare("DELETE FROM alerts WHERE key = ?1").bind(ALERT).run();
    await mlsControl("change", { action: "price", keys: [good] });
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 60 * 60_000);
    await drain(s, 30);
    expect(await alert()).toBeNull();
  });
});

describe("a member record the hub cannot read", () => {
  const s = mlsSetup({ resources: ["Property", "Member", "Office"] });

  it("raises the same alert, naming the member and MemberStatus, and keeps the other members and their own statuses", async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 10 });
    await env.DB.prepare("DELETE FROM listing_sync WHERE connection = ?1").bind(MLS_ID).run();
    await env.DB.prepare("DELETE FROM alerts WHERE key = ?1").bind(ALERT).run();
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now());
    await drain(s);
    const { changed } = await mlsControl<{ changed: Array<{ MemberKey: string }> }>("change", {
      action: "status",
      resource: "Member",
      count: 2,
      to: 2,
    });
    const [retired, other] = changed.map((m) => m.MemberKey) as [string, string];
    await mlsControl("change", { action: "status", resource: "Member", keys: [other], to: "Suspended" });
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 30 * 60_000);
    await drain(s);
    const a = await alert();
    expect(a).toMatchObject({ state: "firing", severity: "warning" });
    expect(a?.detail).toContain(retired);
    expect(a?.detail).toContain("MemberStatus");
    const held = await env.DB.prepare("SELECT status FROM mls_members WHERE connection = ?1 AND member_key = ?2")
      .bind(MLS_ID, other)
      .first<string>("status");
    expect(held).toBe("Suspended");
  });
});
