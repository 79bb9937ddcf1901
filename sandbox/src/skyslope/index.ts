/**
 * The simulated SkySlope API: HMAC login under `/skyslope/auth/login`, then `/skyslope/api/...`
 * with the `Session` header. No webhooks (SkySlope has none). Rate limits are undocumented, so
 * none apply unless the `rateLimit` setting sets one (then 429 with Retry-After).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { VendorDef, VendorEnv } from "../core/context";
import { json } from "../lib/http";
import { breaks } from "../state/settings";
import { authRoutes, requireSession, skyslopeError } from "./auth";
import { seedSkySlope } from "./data";
import type { ChecklistType, Office, User } from "./data";
import { fileRoutes } from "./files";

const guard = createMiddleware<VendorEnv>(async (c, next) => {
  const vs = c.env.vs;
  const denied = requireSession(vs, c.req.raw);
  if (denied) return denied;
  const lim = vs.settings.rateLimit;
  if (lim !== null) {
    const d = vs.limiter.hit("skyslope:api", lim.limit, lim.windowSeconds * 1000, vs.now());
    if (!d.allowed)
      return json({ statusCode: 429, message: "Too many requests." }, 429, {
        "Retry-After": String(Math.max(1, Math.ceil(d.resetMs / 1000))),
      });
  }
  await next();
});

const app = new Hono<VendorEnv>();
app.route("/", authRoutes);
app.use("/skyslope/api/*", guard);
// `offices` / `agents`: the access key's user sees no office / no agents (a key of the wrong account).
app.get("/skyslope/api/offices", (c) =>
  json({ value: { offices: breaks(c.env.vs.settings, "offices") ? [] : c.env.vs.store.all<Office>("office") } }),
);
app.get("/skyslope/api/users", (c) => {
  const office = c.req.query("officeGuid");
  const users = breaks(c.env.vs.settings, "agents") ? [] : c.env.vs.store.all<User>("user");
  return json({ value: { users: users.filter((u) => office === undefined || u.officeGuid === office) } });
});
app.get("/skyslope/api/offices/:officeGuid/checklisttypes", (c) => {
  const type = c.req.query("transactionType");
  const list = c.env.vs.store
    .all<ChecklistType>("checklistType")
    .filter((t) => t.officeGuid === c.req.param("officeGuid") && (type === undefined || t.transactionType === type));
  return json({ value: { checklistTypes: list } });
});
app.route("/", fileRoutes);
app.notFound(() => skyslopeError(404, "Not found."));
app.onError(() => skyslopeError(500, "An error has occurred."));

export const skySlope: VendorDef = {
  name: "skyslope",
  app,
  contextOf: () => "api",
  errorBody: (status, message) => ({ body: { statusCode: status, message, errors: [message] } }),
  retryAfterSeconds: 30,
  seed: (vs) => seedSkySlope(vs.store),
};
