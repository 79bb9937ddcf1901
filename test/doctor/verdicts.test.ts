import { describe, expect, it } from "vitest";
import { fail, ok, permanent } from "../../src/lib/result";
import {
  agentsMap,
  connectIncludesRecipients,
  credentialsAccepted,
  dealFieldExists,
  expenseAccountUsable,
  itemUsable,
  loopItPermitted,
  mappedFieldsExist,
  mappedStagesExist,
  officesUsable,
  profileReachable,
  realmReachable,
  replicationCurrent,
  serverReachable,
  systemKeyAccepted,
  tokenRenewed,
  triggerStageExists,
  webhooksPointHere,
} from "../../src/doctor/verdicts";
import { replicationLag } from "../../src/mls/lag";

const FIX = "the fix";
const pipelines = [
  { name: "Buyers", stages: [{ name: "Lead" }, { name: "Active Client" }, { name: "Under Contract" }, { name: "Closed" }] },
  { name: "Sellers", stages: [{ name: "Lead" }, { name: "Active Listing" }, { name: "Under Contract" }] },
];

describe("the doctor's verdicts on what a vendor answered", () => {
  it("a refused credential fails with the vendor's words and the fix; an accepted one passes", () => {
    const refused = credentialsAccepted(
      fail({ code: "vendor_http", message: "Invalid API key.", retryable: false, status: 401, vendor: "followupboss" }),
      FIX,
    );
    expect(refused).toEqual({ status: "fail", detail: "followupboss_401 (HTTP 401): Invalid API key.", fix: FIX });
    expect(credentialsAccepted(ok({}), FIX).status).toBe("pass");
  });

  it("a vendor that is down is not reported as a refused credential or a wrong company", () => {
    const down = fail({ code: "vendor_http", message: "Service Unavailable", retryable: true, status: 503, vendor: "quickbooks" });
    expect(credentialsAccepted(down, FIX)).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/^quickbooks did not answer as expected/),
    });
    expect(realmReachable("123", down, FIX).fix).toMatch(/status page/);
    expect(
      realmReachable(
        "123",
        fail({ code: "vendor_http", message: "ApplicationAuthorizationFailed", retryable: false, status: 403, vendor: "quickbooks" }),
        FIX,
      ).fix,
    ).toBe(FIX);
  });

  it("a renewal passes only when a different token came back", () => {
    expect(tokenRenewed(ok({ before: "a", after: "b" }), FIX).status).toBe("pass");
    expect(tokenRenewed(ok({ before: "a", after: "a" }), FIX)).toMatchObject({
      status: "fail",
      detail: "the stored token was not renewed",
    });
    expect(tokenRenewed(permanent("not_connected", "reconnect"), FIX)).toMatchObject({ status: "fail", fix: FIX });
  });

  it("a Follow Up Boss system key must be configured and accepted", () => {
    expect(systemKeyAccepted({ system: "dealwire", systemKey: "k" }, ok([]), FIX).status).toBe("pass");
    expect(systemKeyAccepted({ system: "dealwire" }, ok([]), FIX).detail).toMatch(/no system name and key/);
    expect(
      systemKeyAccepted(
        { system: "dealwire", systemKey: "k" },
        fail({ code: "vendor_http", message: "Invalid X-System-Key", retryable: false, status: 401, vendor: "followupboss" }),
        FIX,
      ).status,
    ).toBe("fail");
  });

  it("the transaction id field is found by its key, not its label", () => {
    expect(dealFieldExists("customTransactionID", [{ name: "customTransactionID", label: "Transaction ID" }], FIX).status).toBe("pass");
    expect(dealFieldExists("customTransactionID", [{ name: "customTransactionId", label: "Transaction ID" }], FIX).status).toBe("fail");
  });

  it("every custom field the mapping writes must exist by key among its record's fields; each missing one is named with its config entry", () => {
    const deal = [{ name: "customComplianceStatus" }];
    const person = [{ name: "customEarnestMoney" }];
    const wanted = (among: { earnest: typeof deal; compliance: typeof deal }) => [
      { field: "earnestMoney", key: "customEarnestMoney", among: among.earnest },
      { field: "complianceStatus", key: "customComplianceStatus", among: among.compliance },
    ];
    expect(mappedFieldsExist(wanted({ earnest: person, compliance: deal }), () => FIX).status).toBe("pass");
    // A person field of that key does not hold a deal's value.
    const v = mappedFieldsExist(wanted({ earnest: deal, compliance: deal }), (missing) => missing.join(" | "));
    expect(v.status).toBe("fail");
    expect(v.fix).toBe("customEarnestMoney (fields.earnestMoney)");
    expect(mappedFieldsExist([], () => FIX).status).toBe("pass");
  });

  it("the trigger stage may live in any pipeline; mapped stages are checked apart from it", () => {
    expect(triggerStageExists("Under Contract", pipelines, FIX).detail).toBe("'Under Contract' is a stage of Buyers, Sellers");
    expect(triggerStageExists("Pending", pipelines, FIX).status).toBe("fail");
    const mapped = ["Lead", "Active Client", "Under Contract", "Cancelled"];
    const v = mappedStagesExist(mapped, "Under Contract", pipelines, (missing) => `add ${missing.join(",")}`);
    expect(v).toEqual({ status: "fail", detail: "no pipeline has 'Cancelled'", fix: "add Cancelled" });
    expect(mappedStagesExist(["Lead", "Pending"], "Pending", pipelines, () => FIX).status).toBe("pass");
  });

  it("webhooks pass only when a sync would change nothing", () => {
    const desired = {
      url: "https://hub.example/hooks/followupboss",
      events: ["peopleCreated", "dealsUpdated"],
      shape: "per-event" as const,
    };
    const reg = (id: string, event: string, url = desired.url) => ({ id, events: [event], url, active: true, ours: true });
    expect(webhooksPointHere(desired, [reg("1", "peopleCreated"), reg("2", "dealsUpdated")], FIX).status).toBe("pass");
    expect(webhooksPointHere(desired, [reg("1", "peopleCreated")], FIX).detail).toBe("missing dealsUpdated");
    expect(
      webhooksPointHere(desired, [reg("1", "peopleCreated"), reg("2", "dealsUpdated", "https://old.example/hooks/followupboss")], FIX)
        .detail,
    ).toBe("dealsUpdated → https://old.example/hooks/followupboss");
  });

  it("a subscription at this hub but given another signing key than the hub's first fails: a sync would replace it", () => {
    const desired = {
      url: "https://hub.example/hooks/dotloop",
      events: ["LOOP_CREATED"],
      shape: "single" as const,
      key: "0123456789abcdef",
    };
    const sub = (key: string | undefined) => ({ id: "9", events: ["LOOP_CREATED"], url: desired.url, active: true, ours: true, key });
    expect(webhooksPointHere(desired, [sub("0123456789abcdef")], FIX).status).toBe("pass");
    for (const stale of ["fedcba9876543210", undefined]) {
      const v = webhooksPointHere(desired, [sub(stale)], FIX);
      expect(v).toEqual({ status: "fail", detail: `missing LOOP_CREATED; stale ${desired.url}`, fix: FIX });
    }
  });

  it("Dotloop loops need an individual profile that takes loops without a template", () => {
    const profiles = [
      { id: "4711", type: "INDIVIDUAL", default: true, requiresTemplate: false },
      { id: "4712", type: "OFFICE", requiresTemplate: true },
    ];
    expect(profileReachable(profiles, undefined, FIX).detail).toBe("loops go to profile 4711");
    expect(profileReachable(profiles, "4712", FIX).status).toBe("fail");
    expect(profileReachable([profiles[1] as (typeof profiles)[number]], undefined, FIX).status).toBe("fail");
    expect(loopItPermitted({ id: "4711", requiresTemplate: true }, FIX).status).toBe("fail");
    expect(loopItPermitted({ id: "4711" }, FIX).status).toBe("pass");
  });

  it("QuickBooks: the item must be active, the account an active expense account", () => {
    expect(itemUsable("1", { Id: "1", Name: "Services", Active: true }, FIX).status).toBe("pass");
    expect(itemUsable("1", { Id: "1", Name: "Services", Active: false }, FIX).status).toBe("fail");
    expect(itemUsable("9", null, FIX).detail).toBe("no item with Id 9");
    expect(expenseAccountUsable("7", { Name: "Commissions & fees", AccountType: "Expense", Active: true }, FIX).status).toBe("pass");
    expect(expenseAccountUsable("1", { Name: "Services", AccountType: "Income", Active: true }, FIX).detail).toMatch(
      /not an expense account/,
    );
  });

  it("SkySlope: offices need a Sale checklist unless one is configured; the agent is matched by email", () => {
    const offices = [
      { officeGuid: "a", name: "Austin" },
      { officeGuid: "b", name: "Round Rock" },
    ];
    expect(
      officesUsable(
        offices,
        new Map([
          ["a", 2],
          ["b", 0],
        ]),
        false,
        FIX,
      ).detail,
    ).toBe("no Sale checklist type in Round Rock");
    expect(officesUsable(offices, new Map(), true, FIX).status).toBe("pass");
    expect(officesUsable([], new Map(), true, FIX).status).toBe("fail");
    expect(agentsMap([{ email: "Alex@Example.test" }], "alex@example.test", FIX).status).toBe("pass");
    expect(agentsMap([{ email: "jordan@example.test" }], "alex@example.test", FIX).status).toBe("fail");
  });

  it("DocuSign: recipients must be in the newest delivery; none delivered yet is a skip, not a pass", () => {
    const full = { data: { envelopeId: "e", envelopeSummary: { recipients: { signers: [] } } } };
    expect(connectIncludesRecipients({ receivedAt: 0, payload: full }, FIX).status).toBe("pass");
    expect(connectIncludesRecipients({ receivedAt: 0, payload: { data: { envelopeId: "e" } } }, FIX)).toMatchObject({
      status: "fail",
      fix: FIX,
    });
    expect(connectIncludesRecipients(null, FIX).status).toBe("skip");
  });
});

describe("the doctor's Dotloop verdicts on a recorded Dotloop answer", () => {
  it("the recorded profile list puts loops in the default individual profile, which takes loops without a template", async () => {
    const recorded = (await import("../contracts/doctor/dotloop-profiles.response.json")).default;
    const profiles = recorded.data.map((p) => ({ ...p, id: String(p.id) }));
    expect(profileReachable(profiles, undefined, FIX).detail).toBe("loops go to profile 1234");
    expect(loopItPermitted(profiles[0] as (typeof profiles)[number], FIX).status).toBe("pass");
    // The recorded company profile requires a template, and is no place for loops at all.
    expect(loopItPermitted(profiles[1] as (typeof profiles)[number], FIX).status).toBe("fail");
    expect(profileReachable(profiles, "4234", FIX).status).toBe("fail");
  });
});

describe("the doctor's MLS verdicts", () => {
  const MIN = 60_000;
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);
  const run = (over: Partial<Parameters<typeof replicationLag>[0] & object> = {}) => ({
    phase: "incremental",
    status: "idle",
    records: 100,
    pages: 1,
    completed_at: now - 4 * MIN,
    updated_at: now - 4 * MIN,
    error: null,
    ...over,
  });

  it("replication is current within two poll intervals and the cron's five minutes, behind past that, and never started is a failure", () => {
    expect(replicationCurrent(replicationLag(run(), 5, now), FIX)).toMatchObject({
      status: "pass",
      detail: "last complete run 4 min ago, 100 records in its last run",
    });
    expect(replicationLag(run({ completed_at: now - 16 * MIN }), 5, now)).toMatchObject({
      state: "behind",
      lagMs: 16 * MIN,
      budgetMs: 15 * MIN,
    });
    expect(replicationCurrent(replicationLag(run({ completed_at: now - 16 * MIN }), 5, now), FIX)).toMatchObject({
      status: "fail",
      fix: FIX,
    });
    expect(replicationCurrent(replicationLag(null, 5, now), FIX)).toEqual({
      status: "fail",
      detail: "no replication has run yet",
      fix: FIX,
    });
  });

  it("an initial sync still applying pages passes; one that applied no page for three minutes has stalled, with its last error", () => {
    const initial = run({ phase: "initial", status: "running", completed_at: null, updated_at: now - 30_000, records: 85_000, pages: 85 });
    expect(replicationCurrent(replicationLag(initial, 5, now), FIX)).toMatchObject({
      status: "pass",
      detail: "initial sync in progress: 85000 records in 85 pages",
    });
    const stalled = replicationLag({ ...initial, updated_at: now - 4 * MIN, error: "reso_503: Service Unavailable" }, 5, now);
    expect(stalled).toMatchObject({ state: "stalled", lagMs: null });
    expect(stalled.detail).toBe(
      "the initial run applied no page for 4 min after 85000 records (last error: reso_503: Service Unavailable)",
    );
  });

  it("an MLS that answers at all is reachable (a 401 without credentials included); a server error or no answer is not", () => {
    expect(serverReachable("https://mls.example/odata/$metadata", { status: 401 }, FIX).status).toBe("pass");
    expect(serverReachable("https://mls.example/odata/$metadata", { status: 503 }, FIX)).toEqual({
      status: "fail",
      detail: "https://mls.example/odata/$metadata answered HTTP 503",
      fix: FIX,
    });
    expect(serverReachable("https://mls.example/odata/$metadata", { error: "connect ECONNREFUSED" }, FIX).status).toBe("fail");
  });
});
