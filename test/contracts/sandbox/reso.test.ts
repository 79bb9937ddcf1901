/**
 * The sandbox MLS answers with the shapes RESO published (test/contracts/reso/): every key of each
 * published body, with a JSON type RESO used, for collections, single records, `$select`,
 * `$count`, Member, and the EntityEvent webhook pushes (single and batch).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import collection from "../reso/property-collection.json";
import single from "../reso/property-single.json";
import selected from "../reso/property-select.json";
import counted from "../reso/property-count.json";
import skipped from "../reso/property-skip.json";
import member from "../reso/member-filter.json";
import pushSingle from "../reso/entity-event-push-single.json";
import pushBatch from "../reso/entity-event-push-batch.json";
import { mismatches, shapeOf } from "../shape";
import { reset, sb, sendJson } from "../../sandbox/helpers";

let bearer = "";
const get = async (path: string) =>
  (await sb(`/reso/odata${path}`, { headers: { authorization: `Bearer ${bearer}` } })).json<Record<string, unknown>>();

beforeAll(async () => {
  await reset();
  bearer = env.RESO_BEARER_TOKEN;
});

describe("the sandbox MLS against RESO's published payloads", () => {
  it("a Property collection has the published collection shape", async () => {
    expect(mismatches(await get("/Property?$top=3"), shapeOf(collection))).toEqual([]);
  });

  it("a Property by key has the published single-record shape", async () => {
    const page = await get("/Property?$top=1");
    const key = String((page["value"] as Array<Record<string, unknown>>)[0]?.["ListingKey"]);
    expect(mismatches(await get(`/Property('${key}')`), shapeOf(single))).toEqual([]);
  });

  it("$select and $count answers have the published shapes (and nothing but the selected fields)", async () => {
    const sel = await get("/Property?$select=ListingKey,ModificationTimestamp&$top=2");
    expect(mismatches(sel, shapeOf(selected))).toEqual([]);
    expect((sel["value"] as Array<Record<string, unknown>>).map((r) => Object.keys(r).sort().join())).toEqual([
      "ListingKey,ModificationTimestamp",
      "ListingKey,ModificationTimestamp",
    ]);
    expect(mismatches(await get("/Property?$select=ListingKey,ModificationTimestamp&$top=1&$count=true"), shapeOf(counted))).toEqual([]);
  });

  it("paging as the client asks ($top and $skip) answers the published shape, with no next link", async () => {
    await sendJson("/_sandbox/reso/settings", { serverPaging: false }, "PUT");
    try {
      const first = await get("/Property?$select=ListingKey,ModificationTimestamp&$count=true&$top=1");
      const second = await get("/Property?$select=ListingKey,ModificationTimestamp&$count=true&$top=1&$skip=1");
      expect(mismatches(second, shapeOf(skipped))).toEqual([]);
      expect(Object.keys(second).sort()).toEqual(Object.keys(skipped).sort());
      expect(second["value"]).not.toEqual(first["value"]);
    } finally {
      await sendJson("/_sandbox/reso/settings", { serverPaging: true }, "PUT");
    }
    // Paging driven by the server, the sandbox's default, adds the next link OData defines.
    expect(Object.keys(await get("/Property?$top=1"))).toContain("@odata.nextLink");
  });

  it("a Member collection has the published Member shape", async () => {
    expect(mismatches(await get("/Member?$top=2"), shapeOf(member))).toEqual([]);
  });

  it("EntityEvent pushes have the published single and batch shapes", async () => {
    await sb("/_sandbox/outbox/drain?source=reso", { method: "POST" });
    const page = await get("/Property?$top=2");
    const keys = (page["value"] as Array<Record<string, unknown>>).map((r) => String(r["ListingKey"]));
    await sendJson("/_sandbox/reso/push", { keys: [keys[0]] });
    await sendJson("/_sandbox/reso/push", { keys, batch: true });
    const sent = await (await sb("/_sandbox/outbox/drain?source=reso", { method: "POST" })).json<Array<{ path: string; body: string }>>();
    expect(sent.map((s) => s.path)).toEqual(["/hooks/reso", "/hooks/reso"]);
    expect(mismatches(JSON.parse(sent[0]?.body ?? "null"), shapeOf(pushSingle))).toEqual([]);
    expect(mismatches(JSON.parse(sent[1]?.body ?? "null"), shapeOf(pushBatch))).toEqual([]);
  });
});
