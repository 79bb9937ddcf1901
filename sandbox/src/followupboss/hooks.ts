/**
 * FUB webhooks: registration (`/v1/webhooks`, at most 2 per event per system, system headers
 * required) and firing. Payloads are thin — `{eventId, eventCreated, event, resourceIds, uri}`
 * — and signed `FUB-Signature` = hex(HMAC-SHA256(X-System-Key, base64(body))). When nothing is
 * registered, the default events also go to the hub (setting `autoWebhooks`).
 */
import { Hono } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { asObject, json, readJson, str } from "../lib/http";
import { isoOffset, isoSeconds } from "../lib/time";
import { WEBHOOK_EVENTS } from "./data";
import { systemOf } from "./guard";
import { paginate } from "./paginate";
import { breaks, movedHub } from "../state/settings";

export interface Webhook {
  id: number;
  event: string;
  url: string;
  status: "Active" | "Disabled";
  system: string;
  created: string;
  /** The registering system's key: deliveries are signed with it. */
  signingKey: string;
}

/** Events delivered to the hub when no webhook is registered at all. */
const AUTO_EVENTS = new Set(["peopleCreated", "peopleUpdated", "dealsCreated", "dealsUpdated", "notesCreated"]);

/** FUB's documented retry delays: about 1, 5, 5, 10 and 30 minutes. */
const LADDER_MS = [60_000, 300_000, 300_000, 600_000, 1_800_000];

const RESOURCE: Record<string, string> = { people: "people", deals: "deals", notes: "notes", events: "events" };

function resourceOf(event: string): string {
  const prefix = Object.keys(RESOURCE).find((p) => event.startsWith(p));
  return prefix === undefined ? "people" : (RESOURCE[prefix] ?? "people");
}

/** Sends `event` for `ids` to every active registration (or to the hub, see above). */
export function fireFub(vs: VendorCtx, event: (typeof WEBHOOK_EVENTS)[number], ids: number[]): void {
  const body = {
    eventId: vs.rng.uuid(),
    eventCreated: isoOffset(vs.now()),
    event,
    resourceIds: ids,
    uri: `${vs.origin}/followupboss/v1/${resourceOf(event)}?id=${ids.join(",")}`,
  };
  const all = vs.store.all<Webhook>("webhook");
  const targets = all.filter((w) => w.event === event && w.status === "Active");
  for (const w of targets) {
    vs.emit({
      source: "followupboss",
      url: w.url,
      body,
      sign: { scheme: "followupboss", key: w.signingKey },
      ladderMs: LADDER_MS,
      ref: String(w.id),
    });
  }
  if (all.length === 0 && vs.settings.autoWebhooks && AUTO_EVENTS.has(event)) {
    vs.emit({
      source: "followupboss",
      url: null,
      body,
      sign: { scheme: "followupboss", key: vs.env.FOLLOWUPBOSS_SYSTEM_KEY },
      ladderMs: LADDER_MS,
    });
  }
}

/** A 406/410 from the receiver disables the registration. */
export function disableWebhook(vs: VendorCtx, ref: string): void {
  const w = vs.store.get<Webhook>("webhook", ref);
  if (w) vs.store.put("webhook", w.id, { ...w, status: "Disabled" });
}

function view(w: Webhook): Omit<Webhook, "signingKey"> {
  const { signingKey: _key, ...rest } = w;
  return rest;
}

export const webhookRoutes = new Hono<VendorEnv>();

webhookRoutes.post("/v1/webhooks", async (c) => {
  const vs = c.env.vs;
  const system = systemOf(vs, c.req.raw);
  if (system === null || system === "invalid") {
    return json({ errorMessage: "Webhooks require the X-System and X-System-Key headers." }, 403);
  }
  const body = await readJson(c.req.raw);
  const o = body.ok ? asObject(body.value) : null;
  if (o === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  const event = str(o["event"]);
  const url = str(o["url"]);
  if (event === undefined || !(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
    return json({ errorMessage: `Invalid event: ${String(o["event"])}` }, 400);
  }
  if (url === undefined || !/^https?:\/\/\S+$/.test(url)) return json({ errorMessage: "url must be an http(s) URL." }, 400);
  const same = vs.store.all<Webhook>("webhook").filter((w) => w.event === event && w.system === system.system);
  if (same.length >= 2) {
    return json({ errorMessage: `A system may register at most 2 webhooks for ${event}.` }, 400);
  }
  const w: Webhook = {
    id: vs.store.seq("webhook"),
    event,
    url,
    status: "Active",
    system: system.system,
    created: isoSeconds(vs.now()),
    signingKey: system.key,
  };
  vs.store.put("webhook", w.id, w);
  return json(view(w), 201);
});

webhookRoutes.get("/v1/webhooks", (c) => {
  const vs = c.env.vs;
  const event = c.req.query("event");
  const list = vs.store.all<Webhook>("webhook").filter((w) => event === undefined || w.event === event);
  const moved = breaks(vs.settings, "webhooks");
  const page = paginate(
    list.map((w) => (moved ? { ...view(w), url: movedHub(w.url) } : view(w))),
    new URL(c.req.url),
    "webhooks",
    vs.origin,
  );
  return page.ok ? json(page.body) : json({ errorMessage: page.message }, 400);
});

webhookRoutes.get("/v1/webhooks/:id{[0-9]+}", (c) => {
  const w = c.env.vs.store.get<Webhook>("webhook", c.req.param("id"));
  return w ? json(view(w)) : json({ errorMessage: "Webhook not found." }, 404);
});

webhookRoutes.put("/v1/webhooks/:id{[0-9]+}", async (c) => {
  const vs = c.env.vs;
  const w = vs.store.get<Webhook>("webhook", c.req.param("id"));
  if (!w) return json({ errorMessage: "Webhook not found." }, 404);
  const body = await readJson(c.req.raw);
  const o = body.ok ? asObject(body.value) : null;
  if (o === null) return json({ errorMessage: "Invalid JSON body." }, 400);
  const url = str(o["url"]);
  const status = o["status"] === "Active" || o["status"] === "Disabled" ? o["status"] : undefined;
  const updated: Webhook = { ...w, url: url ?? w.url, status: status ?? w.status };
  vs.store.put("webhook", w.id, updated);
  return json(view(updated));
});

webhookRoutes.delete("/v1/webhooks/:id{[0-9]+}", (c) => {
  const vs = c.env.vs;
  if (!vs.store.get<Webhook>("webhook", c.req.param("id"))) return json({ errorMessage: "Webhook not found." }, 404);
  vs.store.remove("webhook", c.req.param("id"));
  return c.body(null, 204);
});
