/**
 * Dotloop webhook subscriptions (`/subscription`) and event firing. Payload
 * `{eventId, eventType, timestamp, subscriptionExternalId, event:{id, profileId, loopId}}`, with
 * `X-DOTLOOP-TIMESTAMP` and, when the subscription has a signingKey, `X-DOTLOOP-SIGNATURE` =
 * hex(HMAC-SHA1(signingKey, raw body)). Without any subscription, events go to the hub signed
 * with WEBHOOK_SECRET_DOTLOOP (setting `autoWebhooks`).
 */
import { Hono } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { asObject, json, readJson, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import { EVENT_TYPES } from "./data";
import type { EventType } from "./data";
import { dotloopError } from "./errors";
import { breaks, movedHub } from "../state/settings";

export interface Subscription {
  id: string;
  targetType: "PROFILE" | "USER";
  targetId: number;
  url: string;
  eventTypes: EventType[];
  externalId: string | null;
  enabled: boolean;
  signingKey: string | null;
  created: string;
  updated: string;
}

interface StoredEvent {
  id: string;
  subscriptionId: string | null;
  eventType: EventType;
  timestamp: number;
  event: Record<string, string>;
}

/** Dotloop retries at about 30 s, 1 m, 15 m, 30 m, 1 h, 2 h, 4 h, 8 h. */
const LADDER_MS = [30, 60, 900, 1_800, 3_600, 7_200, 14_400, 28_800].map((s) => s * 1000);

/** Fires a profile-targeted event (`LOOP_*`) for a loop (and participant). */
export function fireDotloop(vs: VendorCtx, eventType: EventType, ids: { profileId: number; loopId: number; id?: number }): void {
  const subs = vs.store.all<Subscription>("subscription");
  const event = { id: String(ids.id ?? ids.loopId), profileId: String(ids.profileId), loopId: String(ids.loopId) };
  const send = (sub: Subscription | null) => {
    const body = {
      eventId: vs.rng.uuid(),
      eventType,
      timestamp: vs.now(),
      subscriptionExternalId: sub ? sub.externalId : vs.settings.autoSubscriptionExternalId,
      event,
    };
    vs.store.put<StoredEvent>("subscriptionEvent", body.eventId, {
      id: body.eventId,
      subscriptionId: sub?.id ?? null,
      eventType,
      timestamp: body.timestamp,
      event,
    });
    const key = sub ? sub.signingKey : vs.env.WEBHOOK_SECRET_DOTLOOP;
    const sign = {
      scheme: "dotloop" as const,
      key,
      signed: vs.settings.dotloopSigning,
      ...(vs.settings.dotloopRetryTimestamp === "first" ? { firstAt: Date.now() } : {}),
    };
    vs.emit({ source: "dotloop", url: sub?.url ?? null, body, sign, ladderMs: LADDER_MS, ref: sub?.id });
  };
  for (const sub of subs) {
    if (sub.enabled && sub.targetType === "PROFILE" && sub.targetId === ids.profileId && sub.eventTypes.includes(eventType)) send(sub);
  }
  if (subs.length === 0 && vs.settings.autoWebhooks) send(null);
}

/** A receiver answering 410 loses its subscription's deliveries: it is disabled. */
export function disableSubscription(vs: VendorCtx, ref: string): void {
  const s = vs.store.get<Subscription>("subscription", ref);
  if (s) vs.store.put<Subscription>("subscription", s.id, { ...s, enabled: false });
}

function view(s: Subscription): Omit<Subscription, "signingKey"> {
  const { signingKey: _k, ...rest } = s;
  return rest;
}

function parseTypes(v: unknown): EventType[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  return v.every((t) => (EVENT_TYPES as readonly unknown[]).includes(t)) ? (v as EventType[]) : null;
}

export const subscriptionRoutes = new Hono<VendorEnv>();

subscriptionRoutes.post("/subscription", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  const url = str(o["url"]);
  const types = parseTypes(o["eventTypes"]);
  if (url === undefined || !/^https?:\/\//.test(url)) return dotloopError(400, "url must be an http(s) URL", c.req.url);
  if (types === null) return dotloopError(400, "eventTypes must list known event types", c.req.url);
  const targetType = o["targetType"] === "USER" ? "USER" : "PROFILE";
  const t = isoSeconds(vs.now());
  const sub: Subscription = {
    id: vs.rng.uuid(),
    targetType,
    targetId: Number(o["targetId"] ?? 4711),
    url,
    eventTypes: types,
    externalId: str(o["externalId"]) ?? null,
    enabled: o["enabled"] !== false,
    signingKey: str(o["signingKey"]) ?? null,
    created: t,
    updated: t,
  };
  vs.store.put<Subscription>("subscription", sub.id, sub);
  return json({ data: view(sub) }, 201);
});

subscriptionRoutes.get("/subscription", (c) => {
  const enabled = c.req.query("enabled");
  const subs = c.env.vs.store.all<Subscription>("subscription").filter((s) => enabled === undefined || String(s.enabled) === enabled);
  const moved = breaks(c.env.vs.settings, "subscription");
  return json({ meta: { total: subs.length }, data: subs.map((s) => (moved ? { ...view(s), url: movedHub(s.url) } : view(s))) });
});

subscriptionRoutes.get("/subscription/:id", (c) => {
  const s = c.env.vs.store.get<Subscription>("subscription", c.req.param("id"));
  return s ? json({ data: view(s) }) : dotloopError(404, "Subscription not found", c.req.url);
});

subscriptionRoutes.patch("/subscription/:id", async (c) => {
  const vs = c.env.vs;
  const s = vs.store.get<Subscription>("subscription", c.req.param("id"));
  if (!s) return dotloopError(404, "Subscription not found", c.req.url);
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  if (o === null) return dotloopError(400, "Malformed JSON", c.req.url);
  const types = o["eventTypes"] === undefined ? s.eventTypes : parseTypes(o["eventTypes"]);
  if (types === null) return dotloopError(400, "eventTypes must list known event types", c.req.url);
  const next: Subscription = {
    ...s,
    url: str(o["url"]) ?? s.url,
    eventTypes: types,
    enabled: typeof o["enabled"] === "boolean" ? o["enabled"] : s.enabled,
    externalId: o["externalId"] === undefined ? s.externalId : (str(o["externalId"]) ?? null),
    signingKey: o["signingKey"] === undefined ? s.signingKey : (str(o["signingKey"]) ?? null),
    updated: isoSeconds(vs.now()),
  };
  vs.store.put<Subscription>("subscription", s.id, next);
  return json({ data: view(next) });
});

subscriptionRoutes.delete("/subscription/:id", (c) => {
  const vs = c.env.vs;
  if (!vs.store.get<Subscription>("subscription", c.req.param("id"))) return dotloopError(404, "Subscription not found", c.req.url);
  vs.store.remove("subscription", c.req.param("id"));
  return c.body(null, 204);
});

subscriptionRoutes.get("/subscription/:id/event", (c) => {
  const id = c.req.param("id");
  const events = c.env.vs.store.all<StoredEvent>("subscriptionEvent").filter((e) => e.subscriptionId === id);
  return json({ meta: { total: events.length }, data: events });
});
