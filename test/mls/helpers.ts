/** Helpers for the MLS replication tests: a brokerage configuration with an MLS, and its queue. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import defaults from "../../config/brokerage.json";
import { mlsMessage } from "../../src/consumers/mls";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { resetSandbox, SANDBOX, setSettings } from "../helpers/sandbox";
import { overriding } from "../helpers/env";

export const MLS_ID = "reso:main";

export interface MlsSetup {
  appEnv: Env;
  /** What the hub put on its MLS queue, in order, not yet consumed. */
  queued: unknown[];
  /** How many of the next sends the queue refuses (as a queue that is down throws). */
  refuse: { sends: number };
}

/**
 * The hub's environment with an MLS connection to the sandbox's RESO Web API (client credentials)
 * and its MLS queue held in the test: the test decides when each page message is consumed, or
 * that one is lost. The CRM queue stays the real one.
 */
export function mlsSetup(reso: Record<string, unknown> = {}, limits = { windows: [{ limit: 50, windowMs: 1000 }] }): MlsSetup {
  const doc = structuredClone(defaults) as unknown as { connections: unknown[]; mls?: string };
  doc.connections.push({
    id: MLS_ID,
    vendor: "reso",
    baseUrl: `${SANDBOX}/reso/odata`,
    tokenUrl: `${SANDBOX}/reso/oauth2/token`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} references, resolved from the env.
    credentials: { clientId: "${RESO_CLIENT_ID}", clientSecret: "${RESO_CLIENT_SECRET}" },
    limits,
    pollMinutes: 5,
    reso: { pageSize: 25, ...reso },
  });
  doc.mls = MLS_ID;
  const queued: unknown[] = [];
  const refuse = { sends: 0 };
  const queue = {
    send: async (body: unknown) => {
      if (refuse.sends > 0) {
        refuse.sends--;
        throw new Error("Queue send failed: the queue is unavailable");
      }
      queued.push(body);
    },
    sendBatch: async (msgs: Iterable<{ body: unknown }>) => void queued.push(...[...msgs].map((m) => m.body)),
  };
  const appEnv = overriding(env, { BROKERAGE_CONFIG: JSON.stringify(doc), MLS: queue });
  return { appEnv, queued, refuse };
}

/** Consumes queued MLS messages as the queue would, until none is left (or `max` were consumed). */
export async function drain(s: MlsSetup, max = Infinity): Promise<string[]> {
  const out: string[] = [];
  while (s.queued.length && out.length < max) {
    const r = await mlsMessage(s.queued.shift(), s.appEnv);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    out.push(r.value);
  }
  return out;
}

export interface Logged {
  seq: number;
  method: string;
  url: string;
  status: number;
}

export async function mlsRequests(): Promise<Logged[]> {
  const res = await fetch(`${SANDBOX}/_sandbox/reso/requests`);
  expect(res.status).toBe(200);
  return (await res.json<{ requests: Logged[] }>()).requests;
}

export async function mlsControl<T = unknown>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${SANDBOX}/_sandbox/reso/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json<T>();
}

/** One listing record as the sandbox MLS serves it (RESO field names). */
export type FeedListing = Record<string, string | number | null>;

/** A feed listing's street address without unit, city or ZIP, as an agent names a deal by it. */
export const streetOf = (x: FeedListing) => `${String(x["StreetNumber"])} ${String(x["StreetName"])} ${String(x["StreetSuffix"])}`;

/** Seeds the sandbox MLS with `count` listings and replicates them into the hub; the feed's records. */
export async function replicatedFeed(count: number): Promise<FeedListing[]> {
  await mlsControl("seed", { count });
  const s = mlsSetup();
  await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now());
  await drain(s);
  const res = await fetch(`${SANDBOX}/_sandbox/reso/listings?limit=${count}`);
  return (await res.json<{ listings: FeedListing[] }>()).listings;
}

/** The golden deal's linked listing, if any. */
export async function linkedListing(dealId: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT listing_key FROM listing_deals WHERE deal_id = ?1")
    .bind(dealId)
    .first<{ listing_key: string }>();
  return row?.listing_key ?? null;
}

/** The one loop in the sandbox Dotloop, with its details. */
export async function dealLoop(): Promise<{ id: number; details: Record<string, Record<string, string>> }> {
  const res = await fetch(`${SANDBOX}/_sandbox/dotloop/records`);
  const loop = ((await res.json<{ loop?: Array<{ id: number; details: Record<string, Record<string, string>> }> }>()).loop ?? [])[0];
  if (!loop) throw new Error("no loop in the sandbox Dotloop");
  return loop;
}

/** The canonical event the hub made of delivery `deliveryId`, as its queue message carries it; null before it is stored. */
export async function storedEvent(deliveryId: string) {
  const r = await env.DB.prepare("SELECT * FROM events WHERE delivery_id = ?1").bind(deliveryId).first<Record<string, string>>();
  if (!r) return null;
  return {
    v: 1,
    event: {
      id: r["id"],
      type: r["type"],
      schemaVersion: 1,
      occurredAt: r["occurred_at"],
      receivedAt: r["received_at"],
      source: { system: r["source_system"], deliveryId: r["delivery_id"] },
      subject: { kind: r["subject_kind"], ...(r["subject_ext_id"] ? { externalId: r["subject_ext_id"] } : {}) },
      data: JSON.parse(String(r["data"])) as unknown,
    },
  };
}

/**
 * A sandbox MLS reset and seeded with `count` listings, replicated whole into the hub through
 * `s`; the brokerage configuration and the time the first sync started (polls are due from it).
 */
export async function freshReplica(s: MlsSetup, count: number): Promise<{ config: ReturnType<typeof brokerageConfig>; t0: number }> {
  await resetSandbox();
  await mlsControl("seed", { count });
  const config = brokerageConfig(s.appEnv);
  const t0 = Date.now();
  await scheduleMls(s.appEnv, config, t0);
  await drain(s);
  return { config, t0 };
}

/**
 * A fresh feed of `count` listings on an MLS with these settings, first synced whole by a hub
 * that holds nothing of it yet.
 */
export async function syncedFeed(
  s: MlsSetup,
  count: number,
  settings: Record<string, unknown>,
): Promise<{ config: ReturnType<typeof brokerageConfig>; t0: number }> {
  await resetSandbox();
  await setSettings("reso", settings);
  await mlsControl("seed", { count });
  await env.DB.prepare("DELETE FROM listing_sync WHERE connection = ?1").bind(MLS_ID).run();
  await env.DB.prepare("DELETE FROM listings WHERE connection = ?1").bind(MLS_ID).run();
  const config = brokerageConfig(s.appEnv);
  const t0 = Date.now();
  await scheduleMls(s.appEnv, config, t0);
  await drain(s, 30);
  return { config, t0 };
}

/** The keys of the listings the hub holds from the MLS, in key order. */
export const heldKeys = async () =>
  (
    await env.DB.prepare("SELECT listing_key AS key FROM listings WHERE connection = ?1 ORDER BY listing_key")
      .bind(MLS_ID)
      .all<{ key: string }>()
  ).results;

/**
 * Gives the first `count` held listings one new price and one new timestamp, then polls an MLS
 * with these settings to the end: the changes it made.
 */
export async function pollPastOneStamp(
  s: MlsSetup,
  count: number,
  settings: Record<string, unknown>,
): Promise<Array<{ ListingKey: string; ListPrice: number }>> {
  const keys = (await heldKeys()).slice(0, count).map((k) => k.key);
  const { changed } = await mlsControl<{ changed: Array<{ ListingKey: string; ListPrice: number }> }>("change", {
    action: "price",
    keys,
    at: new Date(Date.now() - 100).toISOString(),
  });
  await setSettings("reso", settings);
  expect(await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 30 * 60_000)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^Property:started:/)]),
  );
  await drain(s, 30);
  return changed;
}
