/**
 * The simulated QuickBooks Online: OAuth under `/quickbooks/connect/oauth2` and
 * `/quickbooks/oauth2/v1/tokens/*`, the Accounting API under `/quickbooks/v3/company/:realmId`.
 * Throttling per realm: 10 requests in flight, 10 per second, 500 per minute (settings
 * `concurrencyLimit`, `rateLimits.realm-second`, `rateLimit` / `rateLimits.realm-minute`), 429
 * with a Fault. `minorversion` below 75 is refused. Every response carries `intuit_tid`.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { VendorDef, VendorEnv } from "../core/context";
import { breaks, limitFor } from "../state/settings";
import { seedQuickBooks } from "./entities";
import { fault, faultBody } from "./faults";
import { qboOauthRoutes, tokenRealm } from "./oauth";
import { companyRoutes } from "./routes";

const THROTTLED = [
  "message=ThrottleExceeded; errorCode=003001; statusCode=429",
  "The request limit was reached. Wait 60 seconds.",
] as const;

const guard = createMiddleware<VendorEnv>(async (c, next) => {
  const vs = c.env.vs;
  const auth = tokenRealm(vs, c.req.raw);
  if ("error" in auth) {
    return fault(401, "AuthenticationFault", "3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", auth.error);
  }
  const realm = c.req.param("realmId");
  // `realm`: the grant no longer covers the company (disconnected from it, or another company).
  if (realm !== auth.realmId || breaks(vs.settings, "realm")) {
    return fault(
      403,
      "AuthorizationFault",
      "3100",
      "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
      "The token does not grant this realm",
    );
  }
  const concurrency = vs.settings.concurrencyLimit ?? 10;
  if (vs.counters.inFlight > concurrency) return fault(429, "ThrottleExceeded", "429", ...THROTTLED);
  const now = vs.now();
  const second = limitFor(vs.settings, "realm-second", { limit: 10, windowSeconds: 1 }, false);
  const minute = limitFor(vs.settings, "realm-minute", { limit: 500, windowSeconds: 60 }, true);
  for (const [name, lim] of [
    ["second", second],
    ["minute", minute],
  ] as const) {
    if (lim === null) continue;
    if (!vs.limiter.hit(`qbo:${realm}:${name}`, lim.limit, lim.windowSeconds * 1000, now).allowed) {
      return fault(429, "ThrottleExceeded", "429", ...THROTTLED);
    }
  }
  const minor = c.req.query("minorversion");
  if (minor !== undefined && !(Number.isInteger(Number(minor)) && Number(minor) >= 75)) {
    return fault(
      400,
      "ValidationFault",
      "4000",
      "Unsupported minorversion",
      `minorversion ${minor} is no longer supported; use 75 or later.`,
    );
  }
  await next();
});

const tid = createMiddleware<VendorEnv>(async (c, next) => {
  await next();
  c.res.headers.set("intuit_tid", `1-${c.env.vs.rng.hex(8)}-${c.env.vs.rng.hex(24)}`);
});

const app = new Hono<VendorEnv>();
app.use("*", tid);
app.route("/", qboOauthRoutes);
app.use("/quickbooks/v3/company/:realmId/*", guard);
app.route("/quickbooks/v3/company/:realmId", companyRoutes);
app.notFound(() => fault(404, "ValidationFault", "404", "Not Found", "No such API path"));
app.onError(() =>
  fault(500, "SystemFault", "10000", "An application error has occurred while processing your request", "System Failure Error"),
);

export const quickBooks: VendorDef = {
  name: "quickbooks",
  app,
  contextOf: (req) => (new URL(req.url).pathname.includes("/v3/company/") ? "realm-minute" : "oauth"),
  errorBody: (status, message) =>
    status === 429
      ? { body: faultBody("ThrottleExceeded", "429", ...THROTTLED) }
      : status < 500
        ? { body: faultBody("ValidationFault", String(status), message, `The request was refused (${status})`) }
        : {
            body: faultBody(
              "SystemFault",
              String(status),
              message,
              `An application error has occurred while processing your request (${status})`,
            ),
          },
  retryAfterSeconds: 60,
  seed: seedQuickBooks,
};
