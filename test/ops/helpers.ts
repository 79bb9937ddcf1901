/** Helpers for the ops tests: the ops sub-app mounted on a hub app, and leads sent the real way. */
import { env } from "cloudflare:workers";
import { createApp } from "../../src/routes/app";
import { ops } from "../../src/routes/ops";
import { proposeStatement } from "../../src/store/merges";
import { eventually, post, signedDelivery } from "../helpers/deliveries";

/** The hub's own app shell (request ids, one error shape) with ops mounted where index.ts mounts it. */
export const hub = createApp();
hub.route("/ops", ops);

export const ORIGIN = "http://hub.test";

/** Calls the ops API with the bearer token (or `token: null` for none). */
export function api(path: string, init: RequestInit & { token?: string | null; envOverride?: Partial<Env> } = {}): Promise<Response> {
  const { token = env.OPS_TOKEN, envOverride, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (rest.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  return Promise.resolve(hub.request(`${ORIGIN}/ops/api${path}`, { ...rest, headers }, { ...env, ...envOverride }));
}

export async function apiJson<T>(path: string, init: Parameters<typeof api>[1] = {}): Promise<T> {
  const res = await api(path, init);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

export function postJson(path: string, body: unknown): Promise<Response> {
  return api(path, { method: "POST", body: JSON.stringify(body) });
}

/** A unique tag for emails and names, so tests sharing a database never see each other's rows. */
export function tag(): string {
  return crypto.randomUUID().slice(0, 8);
}

export interface Lead {
  email: string;
  name: string;
  phone: string;
}

/** A Zillow lead body as Zillow sends it. */
export function zillowLead(lead: Lead): unknown {
  return {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: {
      contact_name: lead.name,
      contact_email_address: lead.email,
      phone_number: lead.phone,
      message: "Is it still available?",
      listing: { street: "12 Oak Ln", city: "Austin", state: "TX", zip: "78701", mls_id: "1234567", price: "$450,000" },
    },
  };
}

/** A Realtor.com lead body as Realtor.com sends it. */
export function realtorLead(lead: Lead): unknown {
  const [first, ...rest] = lead.name.split(" ");
  return {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: {
      lead_id: `r-${crypto.randomUUID()}`,
      role: "buyer",
      contact: { first_name: first, last_name: rest.join(" "), email: lead.email, phone: lead.phone },
      message: "Tour?",
    },
  };
}

/**
 * Sends a signed lead webhook through /hooks and waits until the hub is done with it: the delivery
 * normalized, and the CRM consumer's action complete (its person, link and trace written).
 */
export async function sendLead(lead: Lead, source: "zillow" | "realtor" = "zillow"): Promise<{ deliveryId: string; personId: string }> {
  const res = await post(await signedDelivery(source, source === "zillow" ? zillowLead(lead) : realtorLead(lead)));
  if (res.status !== 202) throw new Error(`lead not accepted: ${res.status}`);
  const { id: deliveryId } = await res.json<{ id: string }>();
  // The person is claimed as soon as the CRM answers; the CRM stage's trace comes with the
  // action's completion, and ingest marks the delivery normalized after handing the event on.
  const personId = await eventually(async () => {
    const row = await env.DB.prepare(
      `SELECT t.subject FROM traces t JOIN deliveries d ON d.id = t.delivery_id
       WHERE t.delivery_id = ?1 AND t.stage IN ('CRM_CREATED', 'CRM_MATCHED', 'LEAD_ACTIVITY', 'CRM_IGNORED') AND d.status = 'normalized'`,
    )
      .bind(deliveryId)
      .first<{ subject: string }>();
    return row?.subject;
  }, 10_000);
  return { deliveryId, personId };
}

/** A random Austin phone (valid area code and exchange), formatted as a person would type it. */
export function phone(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return `(512) ${200 + (a % 700)}-${String(b % 10_000).padStart(4, "0")}`;
}

/** A merge proposal between two people, as the nightly dedupe records one; its id. */
export async function propose(a: string, b: string, score = 0.93): Promise<string> {
  await proposeStatement(env.DB, { a, b, score, reasons: ["name:jw=0.97", "address:same"] }, Date.now()).run();
  const [x, y] = a < b ? [a, b] : [b, a];
  const row = await env.DB.prepare(`SELECT id FROM merge_proposals WHERE a = ?1 AND b = ?2`).bind(x, y).first<{ id: string }>();
  if (!row) throw new Error("no proposal");
  return row.id;
}

/** The Follow Up Boss contact the hub counts as a person's own (its oldest link). */
export const fubId = async (personId: string) =>
  (
    await env.DB.prepare(`SELECT external_id FROM links WHERE canonical_id = ?1 AND system = 'followupboss' ORDER BY created_at LIMIT 1`)
      .bind(personId)
      .first<{ external_id: string }>()
  )?.external_id;
