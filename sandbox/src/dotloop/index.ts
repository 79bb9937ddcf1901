/**
 * The simulated Dotloop: OAuth under `/dotloop/oauth`, the Public API v2 under
 * `/dotloop/public/v2` with Bearer tokens and `X-RateLimit-Limit/-Remaining/-Reset` (ms until
 * reset; default 100 per minute, setting `rateLimit`).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { VendorDef, VendorEnv } from "../core/context";
import { json } from "../lib/http";
import { breaks, limitFor } from "../state/settings";
import { DEFAULT_PROFILE_ID, seedDotloop } from "./data";
import type { Profile } from "./data";
import { dotloopBody, dotloopError } from "./errors";
import { disableSubscription, subscriptionRoutes } from "./hooks";
import { loopRoutes } from "./loops";
import { oauthRoutes, requireToken } from "./oauth";
import { participantRoutes } from "./participants";

const guard = createMiddleware<VendorEnv>(async (c, next) => {
  const vs = c.env.vs;
  const denied = requireToken(vs, c.req.raw);
  if (denied) return denied;
  const lim = limitFor(vs.settings, "api", { limit: 100, windowSeconds: 60 }, true) ?? { limit: 100, windowSeconds: 60 };
  const d = vs.limiter.hit("dotloop:api", lim.limit, lim.windowSeconds * 1000, vs.now());
  const headers = {
    "X-RateLimit-Limit": String(d.limit),
    "X-RateLimit-Remaining": String(d.remaining),
    "X-RateLimit-Reset": String(Math.ceil(d.resetMs)),
  };
  if (!d.allowed) return json(dotloopBody(429, "Rate limit exceeded", c.req.url), 429, headers);
  await next();
  for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
});

const api = new Hono<VendorEnv>();
api.use("*", guard);
api.get("/account", (_c) =>
  json({
    data: { id: 901, firstName: "Alex", lastName: "Kim", email: "alex@example-brokerage.test", defaultProfileId: DEFAULT_PROFILE_ID },
  }),
);
api.get("/profile", (c) => {
  const vs = c.env.vs;
  // `profile`: the grant reaches only office profiles; `loopIt`: its own profile requires a template.
  const profiles = vs.store
    .all<Profile>("profile")
    .filter((p) => !(breaks(vs.settings, "profile") && p.type === "INDIVIDUAL"))
    .map((p) => (breaks(vs.settings, "loopIt") ? { ...p, requiresTemplate: true } : p));
  return json({ meta: { total: profiles.length }, data: profiles });
});
api.get("/profile/:pid{[0-9]+}", (c) => {
  const p = c.env.vs.store.get<Profile>("profile", c.req.param("pid"));
  return p ? json({ data: p }) : dotloopError(404, "Profile not found", c.req.url);
});
api.get("/profile/:pid{[0-9]+}/loop-template", (c) => {
  const list = c.env.vs.store.all<unknown>("template");
  return json({ meta: { total: list.length }, data: list });
});
api.route("/", loopRoutes);
api.route("/", participantRoutes);
api.route("/", subscriptionRoutes);

const app = new Hono<VendorEnv>();
app.route("/", oauthRoutes);
app.route("/dotloop/public/v2", api);
app.notFound((c) => dotloopError(404, "No handler found", c.req.url));
app.onError((_e, c) => dotloopError(500, "Internal Server Error", c.req.url));

export const dotloop: VendorDef = {
  name: "dotloop",
  app,
  contextOf: (req) => (new URL(req.url).pathname.startsWith("/dotloop/oauth") ? "oauth" : "api"),
  errorBody: (status, message) => ({ body: { timestamp: new Date().toISOString(), status, error: message, message } }),
  retryAfterSeconds: 60,
  seed: (vs) => seedDotloop(vs.store),
  onGone: disableSubscription,
};
