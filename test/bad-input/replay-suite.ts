/**
 * Replays: a delivery the hub has accepted, sent again (as is, re-signed by its vendor, or with
 * a fresh timestamp), is answered 200 duplicate with the first id and never recorded twice.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/deliveries";
import { fixedSample } from "./corpus/samples";
import { nowSeconds, signedHeaders, SOURCES, type Source } from "./corpus/signing";
import { deliveryIds, seenEntries } from "./state";

interface Sent {
  headers: Record<string, string>;
  body: string;
}

function post(source: Source, d: Sent): Promise<Response> {
  return exports.default.fetch(`http://hub.test/hooks/${source}`, { method: "POST", headers: d.headers, body: d.body });
}

async function delivery(source: Source, n: string, opts: { id?: string; timestamp?: number } = {}): Promise<Sent> {
  const body = fixedSample(source, `replay-${n}`);
  return {
    body,
    headers: await signedHeaders(source, body, {
      id: opts.id ?? `msg_replay_${n}`,
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    }),
  };
}

/** Sends the first copy and waits until it is recorded and remembered in KV. */
async function accept(source: Source, d: Sent): Promise<string> {
  const res = await post(source, d);
  expect(res.status).toBe(202);
  const { id } = await res.json<{ id: string }>();
  await eventually(() => env.DB.prepare("SELECT id FROM deliveries WHERE id = ?1").bind(id).first());
  await eventually(async () => (await seenEntries()).some((s) => s.deliveryId === id));
  return id;
}

async function expectDuplicate(source: Source, d: Sent, id: string, what: string): Promise<void> {
  const res = await post(source, d);
  expect({ what, status: res.status, body: await res.json() }).toEqual({ what, status: 200, body: { status: "duplicate", id } });
}

/** Declares the replay tests (run first in their file: the last one checks the whole table). */
export function replaySuite(): void {
  const recorded: string[] = [];

  describe("replayed deliveries are duplicates, never second records", () => {
    for (const source of SOURCES) {
      it(`${source}: the same bytes sent three more times`, async () => {
        const d = await delivery(source, `same-${source}`);
        const id = await accept(source, d);
        recorded.push(id);
        for (let i = 0; i < 3; i++) await expectDuplicate(source, d, id, `copy ${i + 1}`);
        const headersUpper = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toUpperCase(), v]));
        await expectDuplicate(source, { ...d, headers: headersUpper }, id, "header names upper-cased");
      });
    }

    it("Standard Webhooks: a retry re-signed with a later timestamp but the same webhook-id", async () => {
      const first = await delivery("zillow", "retry", { id: "msg_replay_retry", timestamp: nowSeconds() - 120 });
      const id = await accept("zillow", first);
      recorded.push(id);
      await expectDuplicate("zillow", await delivery("zillow", "retry", { id: "msg_replay_retry" }), id, "re-signed retry");
    });

    it("Follow Up Boss: the same eventId in a different, validly signed body", async () => {
      const body = JSON.stringify({ eventId: "fub-replay-event", event: "peopleUpdated", resourceIds: [101] });
      const id = await accept("followupboss", { body, headers: await signedHeaders("followupboss", body) });
      recorded.push(id);
      const changed = JSON.stringify({ eventId: "fub-replay-event", event: "peopleUpdated", resourceIds: [101, 102] });
      await expectDuplicate("followupboss", { body: changed, headers: await signedHeaders("followupboss", changed) }, id, "same eventId");
    });

    it("Dotloop: the same body with a fresh timestamp header (Dotloop signs the body only)", async () => {
      const d = await delivery("dotloop", "fresh-ts");
      const id = await accept("dotloop", d);
      recorded.push(id);
      await expectDuplicate(
        "dotloop",
        await delivery("dotloop", "fresh-ts", { timestamp: (nowSeconds() + 5) * 1000 }),
        id,
        "fresh timestamp",
      );
    });

    it("QuickBooks: the same entity change re-serialised with other whitespace", async () => {
      const d = await delivery("quickbooks", "reformatted");
      const id = await accept("quickbooks", d);
      recorded.push(id);
      const spaced = JSON.stringify(JSON.parse(d.body), null, 2);
      await expectDuplicate("quickbooks", { body: spaced, headers: await signedHeaders("quickbooks", spaced) }, id, "reformatted");
    });

    it("ten concurrent copies of a new delivery: each 202 or 200, one record, one RECEIVED trace", async () => {
      const d = await delivery("idx", "burst");
      const answers = await Promise.all(Array.from({ length: 10 }, () => post("idx", d)));
      expect(answers.map((r) => r.status).every((s) => s === 200 || s === 202)).toBe(true);
      const key = "id:msg_replay_burst";
      const row = await eventually(() =>
        env.DB.prepare("SELECT id FROM deliveries WHERE delivery_key = ?1").bind(key).first<{ id: string }>(),
      );
      recorded.push(row.id);
      await new Promise((r) => setTimeout(r, 500)); // every queued copy reaches the consumer
      const traces = await env.DB.prepare("SELECT COUNT(*) AS n FROM traces WHERE delivery_id = ?1 AND stage = 'RECEIVED'")
        .bind(row.id)
        .first<number>("n");
      expect(traces).toBe(1);
    });

    it("in all, one record per distinct delivery and one KV key each", async () => {
      await new Promise((r) => setTimeout(r, 300));
      expect(await deliveryIds()).toEqual([...recorded].sort());
      // One key per distinct delivery, written by the ingest consumer for the copy D1 recorded.
      expect((await seenEntries()).length).toBe(recorded.length);
    });
  });
}
