/**
 * Every published vendor sample in /work/shared/data/vendor_payloads either maps to a valid
 * canonical event with no drift, or is listed below with the reason it is not canonical data.
 * A new sample file fails this test until someone decides which it is.
 */
import { describe, expect, it } from "vitest";
import { CanonicalEvent } from "../../src/canonical";
import { mapDelivery, mapDotloopContact, mapDotloopLoop, mapFollowUpBossEvent, type MapOutcome } from "../../src/mapping";
import { ctx } from "./fixtures";

const ROOT = "../../../shared/data/vendor_payloads/";
const files = import.meta.glob<unknown>("../../../shared/data/vendor_payloads/**/*.json", { eager: true, import: "default" });
const byName = Object.fromEntries(Object.entries(files).map(([p, json]) => [p.slice(ROOT.length), json]));
const file = (name: string): unknown => {
  if (!(name in byName)) throw new Error(`missing sample ${name}`);
  return byName[name];
};

const DL = "dotloop/stub_responses/";
const LOOP = `${DL}get/profile/1234/loop/76046`;

/** Samples that are not deal, person, lead or change data, and why. */
const NOT_CANONICAL: Record<string, string> = {
  [`${DL}delete/contact/3603862.json`]: "empty DELETE response",
  [`${DL}delete/profile/1234/loop/76046/participant/2355.json`]: "empty DELETE response",
  [`${DL}get/account.json`]: "the API user's own account",
  [`${DL}get/profile.json`]: "profiles are the brokerage's workspaces, not deal data",
  [`${DL}get/profile/1234.json`]: "profile",
  [`${DL}patch/profile.json`]: "profile",
  [`${DL}get/profile/1234/loop-template.json`]: "loop templates are configuration",
  [`${DL}get/profile/1234/loop-template/421.json`]: "loop template",
  [`${DL}get/profile/1234/loop/76046/folder.json`]: "folders hold documents; the hub tracks signatures, not files",
  [`${DL}get/profile/1234/loop/76046/folder/423424.json`]: "folder",
  [`${DL}patch/profile/1234/loop/76046/folder/423424.json`]: "folder",
  [`${DL}post/profile/1234/loop/76046/folder.json`]: "folder",
  [`${DL}get/profile/1234/loop/76046/folder/423424/document.json`]: "document metadata without signature state",
  [`${DL}get/profile/1234/loop/76046/folder/423424/document/561621.json`]: "document metadata",
  [`${DL}get/profile/1234/loop/76046/folder/423424/document/561622.json`]: "document metadata",
  [`${DL}post/profile/1234/loop/76046/folder/423424/document.json`]: "document metadata",
  [`${DL}get/profile/1234/loop/76046/tasklist.json`]: "task lists are TMS-internal checklists",
  [`${DL}get/profile/1234/loop/76046/tasklist/123.json`]: "task list",
  [`${DL}get/profile/1234/loop/76046/tasklist/123/task.json`]: "tasks",
  [`${DL}get/profile/1234/loop/76046/tasklist/123/task/125736485.json`]: "task",
};

const ok = (out: MapOutcome): CanonicalEvent[] => {
  if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
  expect(out.drift).toEqual([]);
  return out.events.map((e) => CanonicalEvent.parse(e));
};

const list = (json: unknown): unknown[] => {
  const data = (json as { data?: unknown }).data;
  return Array.isArray(data) ? data : [data];
};

/** How each mappable sample is mapped; returns the events. */
const MAPPED: Record<string, () => CanonicalEvent[]> = {};
for (const name of Object.keys(byName).filter((n) => n.startsWith("followupboss/events_post__"))) {
  MAPPED[name] = () => [...ok(mapDelivery("followupboss", file(name), ctx)), ...ok(mapFollowUpBossEvent(file(name), ctx))];
}
MAPPED["quickbooks/webhook_legacy_eventNotifications.json"] = () =>
  ok(mapDelivery("quickbooks", file("quickbooks/webhook_legacy_eventNotifications.json"), ctx));
MAPPED["quickbooks/webhook_cloudevents.json"] = () => ok(mapDelivery("quickbooks", file("quickbooks/webhook_cloudevents.json"), ctx));
for (const verb of ["get", "patch"]) {
  const loop = verb === "get" ? `${LOOP}.json` : `${DL}patch/profile/1234/loop/76046.json`;
  MAPPED[loop] = () => ok(mapDotloopLoop(file(loop), file(`${LOOP}/detail.json`), file(`${LOOP}/participant.json`), ctx));
  MAPPED[`${DL}${verb}/profile/1234/loop/76046/detail.json`] = () =>
    ok(mapDotloopLoop(file(`${LOOP}.json`), file(`${DL}${verb}/profile/1234/loop/76046/detail.json`), [], ctx));
}
MAPPED[`${LOOP}/participant.json`] = () => ok(mapDotloopLoop(file(`${LOOP}.json`), {}, file(`${LOOP}/participant.json`), ctx));
for (const p of [
  `${LOOP}/participant/2355.json`,
  `${DL}post/profile/1234/loop/76046/participant.json`,
  `${DL}patch/profile/1234/loop/76046/participant/2355.json`,
]) {
  MAPPED[p] = () => ok(mapDotloopLoop(file(`${LOOP}.json`), {}, list(file(p)), ctx));
}
for (const l of [
  "get/profile/1234/loop.json",
  "get/profile/1234/loop_page1.json",
  "get/profile/1234/loop_page2.json",
  "get/profile/1234/loop/76047.json",
  "post/profile/1234/loop.json",
  "patch/profile/1234/loop.json",
  "post/loop-it.json",
]) {
  MAPPED[`${DL}${l}`] = () => list(file(`${DL}${l}`)).flatMap((loop) => ok(mapDotloopLoop(loop, {}, [], ctx)));
}
for (const c of [
  "get/contact.json",
  "get/contact_page1.json",
  "get/contact_page2.json",
  "get/contact/3603862.json",
  "patch/contact/3603862.json",
  "post/contact.json",
]) {
  MAPPED[`${DL}${c}`] = () => list(file(`${DL}${c}`)).flatMap((contact) => ok(mapDotloopContact(contact, ctx)));
}

describe("vendor_payloads samples", () => {
  it("are each either mapped or explicitly not canonical", () => {
    const unclassified = Object.keys(byName).filter((n) => !(n in MAPPED) && !(n in NOT_CANONICAL));
    expect(unclassified).toEqual([]);
    expect(Object.keys(byName).length).toBeGreaterThan(40);
  });

  it.each(Object.keys(MAPPED))("%s maps to valid canonical events without drift", (name) => {
    const events = MAPPED[name]?.() ?? [];
    expect(events.length).toBeGreaterThan(0);
  });

  it("FUB lead events keep the person, lowercase email, source and property", () => {
    const [e] = ok(mapDelivery("followupboss", file("followupboss/events_post__send_buyer_inquiry.json"), ctx));
    if (e?.type !== "lead.received") throw new Error("expected lead.received");
    expect(e.data.person).toMatchObject({ firstName: "John", lastName: "Smith", tags: ["Buyer", "More Information"] });
    expect(e.data.person.emails).toEqual([{ value: "john.smith@example.com" }]);
    expect(e.data.person.leadSource).toEqual({ system: "followupboss", name: "MyAwesomeWebsite.com" });
    expect(e.data).toMatchObject({ leadType: "Property Inquiry" });
    expect(e.data.property).toMatchObject({
      mlsId: "1234567",
      price: 44_900_000,
      beds: 3,
      baths: 2,
      areaSqft: 2888,
      propertyType: "Single-Family Home",
    });
    expect(e.data.property?.address).toMatchObject({ city: "Rochester", state: "WA", zip: "98579" });
  });

  it("Dotloop loop + details + participants become one transaction", () => {
    const [e] = ok(mapDotloopLoop(file(`${LOOP}.json`), file(`${LOOP}/detail.json`), file(`${LOOP}/participant.json`), ctx));
    if (e?.type !== "transaction.upserted") throw new Error("expected transaction.upserted");
    const t = e.data.transaction;
    expect(e.subject).toEqual({ kind: "transaction", externalId: "76046" });
    expect(t).toMatchObject({ id: "76046", purchasePrice: 2_500_000, reference: "Trans_12" });
    expect(t.dates).toMatchObject({
      estimatedClosing: expect.stringMatching(/^2017-11-01/),
      expiration: expect.stringMatching(/^2017-03-05/),
    });
    expect(t.property).toMatchObject({ mlsId: "12345", price: 1_000_000, propertyType: "simple" });
    expect(t.property?.address).toMatchObject({ number: "14015", city: "Shaker Heights", state: "OH", zip: "44120" });
    expect(t.participants.map((p) => [p.role, p.person?.firstName, p.person?.emails[0]?.value])).toEqual([
      ["buyer", "Brian", "brianerwin@newkyhome.com"],
      ["listing_agent", "Allen", "allen.agent@gmail.com"],
      ["seller", "Sean", "sean.seller@yahoo.com"],
    ]);
  });

  it("QuickBooks legacy and CloudEvents bodies name the changed entity and realm", () => {
    const [legacy] = ok(mapDelivery("quickbooks", file("quickbooks/webhook_legacy_eventNotifications.json"), ctx));
    expect(legacy).toMatchObject({
      type: "vendor.resource_changed",
      occurredAt: "2015-10-05T21:42:19.000Z",
      source: { system: "quickbooks", account: "1185883450" },
      data: { system: "quickbooks", resource: "customer", ids: ["1"], action: "created", vendorEvent: "Create" },
    });
    const [cloud] = ok(mapDelivery("quickbooks", file("quickbooks/webhook_cloudevents.json"), ctx));
    expect(cloud).toMatchObject({
      occurredAt: "2025-10-07T19:59:07.034Z",
      source: { account: "310687", externalId: "d1a3aedd-9670-41bf-a4f9-c148a1cc4e03" },
      data: { resource: "class", ids: ["1234"], action: "created" },
    });
  });
});
