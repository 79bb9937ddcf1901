import type { Hono } from "hono";
import { honoApp } from "./router";
import type { Context } from "hono";
import { AppError, problem, problemResponse } from "../lib/errors";
import { errorDetail, log } from "../lib/log";

/** The one `App` type every Hono sub-app shares, so bindings and variables infer everywhere. */
export interface App {
  Bindings: Env;
  /** `requestId` is made on first use: read it with `requestId(c)`. */
  Variables: { requestId?: string; source?: string; code?: string };
}

/** Creates a sub-app of the hub; mounted by `createApp` with `app.route()`. */
export function subApp(): Hono<App> {
  return honoApp<App>();
}

function renderError(err: unknown, c: Context<App>): Response {
  const id = requestId(c);
  if (err instanceof AppError) {
    c.set("code", err.code);
    return problemResponse(err.toProblem(id));
  }
  c.set("code", "internal");
  log("error", "unhandled", { requestId: id, error: err instanceof Error ? err.name : typeof err, detail: errorDetail(err) });
  return problemResponse(problem("internal", "An internal error occurred.", id));
}

/**
 * Cloudflare's edge sets `cf-ray` (16 hex digits, a dash, the data centre's code) and it becomes
 * the request id, so logs and problem documents match the platform's own. Off the edge a client
 * may send anything there; only a value shaped like a ray id is kept, so a request id is always
 * short enough to log and echo.
 */
const RAY_ID = /^[0-9a-f]{16}(?:-[A-Z]{3,4})?$/;

/**
 * The request's id, made on first use: a delivery acknowledged 202 is neither logged nor answered
 * with a problem document, so it never needs one.
 */
export function requestId<E extends App>(c: Context<E>): string {
  const ctx = c as unknown as Context<App>;
  let id = ctx.get("requestId");
  if (id === undefined) {
    const ray = c.req.header("cf-ray");
    id = ray !== undefined && RAY_ID.test(ray) ? ray : crypto.randomUUID();
    ctx.set("requestId", id);
  }
  return id;
}

/**
 * Whether the browser says another site asked for this request: a link, a form or a fetch from a
 * page elsewhere (`Sec-Fetch-Site`; a subdomain is another site too). Typed addresses say `none`,
 * the hub's own pages `same-origin`, and clients that are not browsers say nothing.
 */
export function fromAnotherSite(req: Request): boolean {
  const site = req.headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Times a finished answer in `Server-Timing` (the Worker's own time as the runtime's clock sees
 * it: it advances across I/O such as KV and the queue, not during pure computation) and writes
 * its access-log line. The header is set in place: Hono's `c.header` would copy the response. A
 * response whose headers are immutable (one fetched from elsewhere) is copied once.
 */
function answered(c: Context<App>, res: Response, started: number): Response {
  const ms = Date.now() - started;
  try {
    res.headers.set("server-timing", `app;dur=${ms}`);
  } catch {
    return answered(c, new Response(res.body, res), started);
  }
  // A queued webhook delivery gets no line of its own: the platform's invocation log records
  // every request (path, status, duration, ray id) and the delivery is traced from its queue
  // message on, while a line per delivery cost the intake about a tenth of its CPU. Duplicates,
  // refusals and errors of deliveries are logged, as is every other request.
  if (c.get("source") === undefined || res.status !== 202)
    log(res.status >= 500 ? "error" : "info", "request", {
      requestId: requestId(c),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      source: c.get("source"),
      status: res.status,
      code: c.get("code"),
      durationMs: ms,
    });
  return res;
}

/** One error shape and the 404/405 answers, for both kinds of app. */
function withAnswers(app: Hono<App>, finish: (c: Context<App>, res: Response) => Response): Hono<App> {
  app.onError((err, c) => finish(c, renderError(err, c)));
  app.notFound((c) => {
    // A path other methods serve answers 405 with them (middleware, registered for every method, is no route).
    const allow = METHODS.filter((m) => app.router.match(m, c.req.path)[0].some(([[, route]]) => route.method !== "ALL"));
    const refused = allow.length > 0 && !allow.includes(c.req.method);
    c.set("code", refused ? "method_not_allowed" : "not_found");
    const res = problemResponse(
      refused
        ? problem("method_not_allowed", `${c.req.method} is not served at ${c.req.path}; use ${allow.join(" or ")}.`, requestId(c))
        : problem("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`, requestId(c)),
    );
    if (refused) res.headers.set("allow", allow.join(", "));
    return finish(c, res);
  });
  return app;
}

/** The hub's HTTP surface: request ids, access logs, one error shape. Routes are mounted by the caller. */
export function createApp(): Hono<App> {
  const app = honoApp<App>();
  app.use(async function accessLog(c, next) {
    const started = Date.now();
    await next();
    const res = answered(c, c.res, started);
    if (res !== c.res) c.res = res;
  });
  // The middleware times and logs every answer, these included.
  return withAnswers(app, (_, res) => res);
}

/**
 * The webhook intake's app: the same answers as `createApp`'s, with no middleware, so Hono calls
 * the one route a delivery matches directly (a middleware chain cost each delivery about a
 * twentieth of the intake's own CPU in `npm run bench:cpu`). Its routes are `timed`; its 404 and
 * 405 answers are logged here.
 */
export function createIntakeApp(): Hono<App> {
  return withAnswers(honoApp<App>(), (c, res) => answered(c, res, Date.now()));
}

/** A route of the intake's app, timed and logged as `createApp`'s middleware does, its errors answered in place. */
export function timed<P extends string>(handler: (c: Context<App, P>) => Promise<Response>): (c: Context<App, P>) => Promise<Response> {
  return async (c) => {
    const started = Date.now();
    let res: Response;
    try {
      res = await handler(c);
    } catch (err) {
      res = renderError(err, c);
    }
    return answered(c, res, started);
  };
}
