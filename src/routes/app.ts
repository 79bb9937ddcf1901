import { Hono } from "hono";
import type { Context } from "hono";
import { AppError, problem, problemResponse } from "../lib/errors";
import { log } from "../lib/log";

/** The one `App` type every Hono sub-app shares, so bindings and variables infer everywhere. */
export interface App {
  Bindings: Env;
  /** `requestId` is made on first use: read it with `requestId(c)`. */
  /** `started` is when the intake's handler began (the intake has no middleware to time it). */
  Variables: { requestId?: string; source?: string; code?: string; started?: number };
}

/** Creates a sub-app of the hub; mounted by `createApp` with `app.route()`. */
export function subApp(): Hono<App> {
  return new Hono<App>();
}

/**
 * Sets a header on the finished response in place: Hono's `c.header` copies a finished response
 * into a new one, a cost every request would pay. A response whose headers are immutable (one
 * fetched from elsewhere) goes through `c.header`.
 */
function setHeader(c: Context<App>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

function renderError(err: Error, c: Context<App>): Response {
  const id = requestId(c);
  if (err instanceof AppError) {
    c.set("code", err.code);
    return problemResponse(err.toProblem(id));
  }
  c.set("code", "internal");
  log("error", "unhandled", { requestId: id, error: err.name, detail: err.message.slice(0, 200) });
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

/** The Worker's own time as the runtime's clock sees it (it advances across I/O such as KV and
 * the queue, not during pure computation), for a client or a benchmark to read beside its own. */
const serverTiming = (started: number) => `app;dur=${Date.now() - started}`;

/**
 * A finished request's access-log line. A queued webhook delivery gets none: the platform's
 * invocation log records every request (path, status, duration, ray id) and the delivery is
 * traced from its queue message on, while a line per delivery cost the intake about a tenth of
 * its CPU. Duplicates, refusals and errors of deliveries are logged, as is every other request.
 */
function logRequest(c: Context<App>, status: number, started: number): void {
  if (c.get("source") !== undefined && status === 202) return;
  log(status >= 500 ? "error" : "info", "request", {
    requestId: requestId(c),
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    source: c.get("source"),
    status,
    code: c.get("code"),
    durationMs: Date.now() - started,
  });
}

function notFound(c: Context<App>): Response {
  c.set("code", "not_found");
  return problemResponse(problem("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`, requestId(c)));
}

/** The hub's HTTP surface: request ids, access logs, one error shape. Routes are mounted by the caller. */
export function createApp(): Hono<App> {
  const app = new Hono<App>();
  app.use(async function accessLog(c, next) {
    const started = Date.now();
    await next();
    setHeader(c, "server-timing", serverTiming(started));
    logRequest(c, c.res.status, started);
  });
  app.onError(renderError);
  app.notFound(notFound);
  return app;
}

/**
 * The webhook intake's app: the same request ids, access log, Server-Timing and error shape as
 * `createApp`, but no middleware, so Hono calls the one matching handler directly instead of
 * composing a chain for every delivery. Its handlers set `started` first and answer through
 * `intakeAnswer`; refusals and errors are finished here.
 */
export function createIntake(): Hono<App> {
  const app = new Hono<App>();
  // Refusals and not-found answers are problem documents made here, so their headers are mutable.
  const finish = (c: Context<App>, res: Response) => {
    const started = c.get("started") ?? Date.now();
    res.headers.set("server-timing", serverTiming(started));
    logRequest(c, res.status, started);
    return res;
  };
  app.onError((err, c) => finish(c, renderError(err, c)));
  app.notFound((c) => finish(c, notFound(c)));
  return app;
}

/** An intake handler's JSON answer, with its Server-Timing, access-logged unless it queued a delivery. */
export function intakeAnswer(c: Context<App>, body: unknown, status: 200 | 202): Response {
  const started = c.get("started") ?? Date.now();
  const res = new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "server-timing": serverTiming(started) },
  });
  logRequest(c, status, started);
  return res;
}
