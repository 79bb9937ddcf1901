/**
 * The request path every simulated API call takes: count it, hold it (latency), maybe fail it
 * (a refused write, a lost answer, timeout, 429 storm, injected 5xx), serve it, then drift the JSON answer.
 * Random choices use the vendor's seeded generator, so the same seed and the same calls fail the
 * same way.
 */
import { json, sleep } from "../lib/http";
import type { VendorCtx, VendorDef } from "./context";
import { applyDrift } from "./drift";
import type { Drift } from "./drift";

/** Serves one request to a vendor app under its fault settings. */
export async function serve(vs: VendorCtx, def: VendorDef, req: Request): Promise<Response> {
  const faultable = def.faultable?.(req) ?? true;
  vs.counters.add("requests");
  vs.counters.stamp(def.contextOf(req), vs.now());
  vs.counters.enter();
  try {
    const res = faultable ? await withFaults(vs, def, req) : await def.app.fetch(req, { vs });
    const out = faultable && vs.settings.drift ? await driftResponse(res, vs.settings.drift) : res;
    vs.counters.status(out.status);
    const url = new URL(req.url);
    vs.counters.logRequest({ method: req.method, path: `${url.pathname}${url.search}`, status: out.status, at: vs.now() });
    return out;
  } finally {
    vs.counters.leave();
  }
}

async function withFaults(vs: VendorCtx, def: VendorDef, req: Request): Promise<Response> {
  const s = vs.settings;
  // Latency is served after the request is handled, so a slow request stays "in flight" for
  // its whole duration and concurrency limits see it (QuickBooks' 10 in flight).
  const delay = s.latencyMs + (s.latencyJitterMs > 0 ? vs.rng.float() * s.latencyJitterMs : 0);
  const res = await decide(vs, def, req);
  if (delay > 0) await sleep(delay);
  return res;
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether this request matches a refusal rule (`rejectWrites`, `rejectReads`; the body read from a clone). */
async function rejected(rule: { match: string } | null, req: Request): Promise<boolean> {
  if (!rule) return false;
  const url = new URL(req.url);
  const text = `${req.method} ${url.pathname}${url.search}\n${await req.clone().text()}`;
  return new RegExp(rule.match, "is").test(text);
}

async function decide(vs: VendorCtx, def: VendorDef, req: Request): Promise<Response> {
  const s = vs.settings;
  // Checked before the random faults and without drawing from the generator: the same records
  // are refused on every try, and the random faults of everything else keep their sequence.
  if (s.rejectWrites && WRITES.has(req.method) && (await rejected(s.rejectWrites, req))) {
    vs.counters.add("rejectedWrites");
    return fault(vs, def, s.rejectWrites.status, "This record was refused (sandbox rejectWrites)");
  }
  if (s.rejectReads && req.method === "GET" && (await rejected(s.rejectReads, req))) {
    vs.counters.add("rejectedWrites");
    return fault(vs, def, s.rejectReads.status, "This record was refused (sandbox rejectReads)");
  }
  if (s.loseAnswers && WRITES.has(req.method) && (await rejected(s.loseAnswers, req))) {
    await def.app.fetch(req, { vs });
    vs.counters.add("lostAnswers");
    return fault(vs, def, 504, "Gateway Timeout");
  }
  if (vs.rng.chance(s.timeoutRate)) {
    vs.counters.add("timeouts");
    await sleep(s.timeoutMs);
    return fault(vs, def, 504, "Gateway Timeout");
  }
  const now = vs.now();
  const storming = s.stormUntil !== null && now < s.stormUntil;
  if (storming || vs.rng.chance(s.stormRate)) {
    const wait =
      storming && s.stormUntil !== null
        ? Math.ceil((s.stormUntil - now) / 1000)
        : (s.stormRetryAfterSeconds ?? def.retryAfterSeconds ?? 10);
    return fault(vs, def, 429, "Too Many Requests", { "Retry-After": String(Math.max(1, wait)) });
  }
  if (vs.rng.chance(s.errorRate)) {
    vs.counters.add("injectedErrors");
    const status = vs.rng.pick(s.errorStatuses);
    return fault(vs, def, status, status === 503 ? "Service Unavailable" : "Internal Server Error");
  }
  return def.app.fetch(req, { vs });
}

function fault(vs: VendorCtx, def: VendorDef, status: number, message: string, extra: Record<string, string> = {}): Response {
  const shape = def.errorBody(status, message, vs);
  return json(shape.body, status, { ...shape.headers, ...extra });
}

async function driftResponse(res: Response, drift: Drift): Promise<Response> {
  if (!(res.headers.get("content-type") ?? "").includes("json")) return res;
  const text = await res.text();
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return new Response(text, res);
  }
  return new Response(JSON.stringify(applyDrift(value, drift)), { status: res.status, headers: res.headers });
}
