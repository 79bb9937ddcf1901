/**
 * Hostile data in validly signed deliveries is data: every one is accepted (202), stored
 * verbatim, processed without crashing the ingest consumer, and no injected SQL runs.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/deliveries";
import { acceptedCases, type AcceptedCase } from "./corpus/accepted";
import { deliveryIds, inboundFailures, intakeCounts, tableNames } from "./state";

interface Row {
  id: string;
  event_type: string | null;
  status: string;
  payload: string;
}

function send(c: AcceptedCase): Promise<Response> {
  return exports.default.fetch(`http://hub.test/hooks/${c.source}`, { method: "POST", headers: c.headers, body: c.body });
}

/** Declares the hostile-data tests; deliveries recorded before they start are not theirs. */
export function hostileDataSuite(): void {
  describe("POST /hooks/:source stores hostile data verbatim and executes none of it", () => {
    let cases: AcceptedCase[] = [];
    let tablesBefore: string[] = [];
    let earlier: string[] = [];
    const idOf = new Map<string, string>();

    beforeAll(async () => {
      tablesBefore = await tableNames();
      earlier = await deliveryIds();
      cases = await acceptedCases();
    });

    it("accepts every validly signed hostile delivery with 202", { timeout: 120_000 }, async () => {
      const wrong: string[] = [];
      for (let i = 0; i < cases.length; i += 6) {
        await Promise.all(
          cases.slice(i, i + 6).map(async (c) => {
            const res = await send(c);
            const text = await res.text();
            if (res.status !== 202) wrong.push(`${c.name}: expected 202, got ${res.status} ${text.slice(0, 200)}`);
            else idOf.set(c.name, (JSON.parse(text) as { id: string }).id);
          }),
        );
      }
      expect(wrong).toEqual([]);
    });

    it("records each exactly once, with the payload it carried, and the ingest consumer never crashes", { timeout: 90_000 }, async () => {
      const ids = [...idOf.values()];
      expect(ids.length).toBe(cases.length);
      // Ingest is done with a delivery once its status leaves 'received' (normalized or rejected).
      await eventually(async () => {
        const { results } = await env.DB.prepare("SELECT id FROM deliveries WHERE status != 'received'").all<{ id: string }>();
        return results.filter((r) => !earlier.includes(r.id)).length >= ids.length;
      }, 60_000);
      expect((await deliveryIds()).filter((id) => !earlier.includes(id)).sort()).toEqual([...ids].sort());
      const mismatched: string[] = [];
      for (const c of cases) {
        const row = await env.DB.prepare("SELECT id, event_type, status, payload FROM deliveries WHERE id = ?1")
          .bind(idOf.get(c.name))
          .first<Row>();
        if (!row) mismatched.push(`${c.name}: no row`);
        else if (JSON.stringify(JSON.parse(row.payload)) !== JSON.stringify(c.value))
          mismatched.push(`${c.name}: payload differs: ${row.payload.slice(0, 120)}`);
      }
      expect(mismatched).toEqual([]);
      expect(await inboundFailures()).toEqual([]);
      expect((await intakeCounts()).payload_spool, "spooled bodies are dropped once recorded").toBe(0);
    });

    it("keeps injected SQL as text: the event type column holds it verbatim, and every table is intact", async () => {
      const sql = cases.filter((c) => c.name.includes("in every field") && typeof (c.value as { type?: unknown }).type === "string");
      expect(sql.length).toBeGreaterThan(0);
      for (const c of sql) {
        const row = await env.DB.prepare("SELECT event_type FROM deliveries WHERE id = ?1")
          .bind(idOf.get(c.name))
          .first<{ event_type: string }>();
        expect(row?.event_type, c.name).toBe(String((c.value as { type: string }).type).slice(0, 100));
      }
      expect(await tableNames()).toEqual(tablesBefore);
      const statuses = await env.DB.prepare("SELECT DISTINCT status FROM deliveries ORDER BY status").all<{ status: string }>();
      expect(statuses.results.map((r) => r.status).every((s) => s === "normalized" || s === "rejected")).toBe(true);
      const health = await exports.default.fetch("http://hub.test/health");
      expect(await health.json()).toMatchObject({ status: "ok" });
    });
  });
}
