/**
 * SkySlope login: `POST /auth/login` with `Timestamp` and
 * `Authorization: SS <AccessKey>:<base64 HMAC-SHA256(AccessSecret, "<ClientId>:<ClientSecret>:<Timestamp>")>`
 * and body `{clientID, clientSecret}`; answers `{Session, Expiration}`. Later calls send the
 * `Session` header; an unknown or expired session is a 401. Sessions last 60 minutes unless
 * `tokenLifetimeSeconds` says otherwise.
 */
import { Hono } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { toBase64 } from "../lib/bytes";
import { hmac, safeEqual } from "../lib/crypto";
import { asObject, json, readJson, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import { breaks } from "../state/settings";

interface Session {
  token: string;
  expiresAt: number;
}

const CLOCK_SKEW_MS = 5 * 60_000;

export function skyslopeError(status: number, message: string): Response {
  return json({ statusCode: status, message, errors: [message] }, status);
}

/** The 401 for a missing, unknown or expired session, or null when the session is good. */
export function requireSession(vs: VendorCtx, req: Request): Response | null {
  const token = req.headers.get("session");
  const s = token === null ? undefined : vs.store.get<Session>("session", token);
  if (s === undefined) return skyslopeError(401, "Session is missing or invalid.");
  if (s.expiresAt <= vs.now()) return skyslopeError(401, "Session has expired.");
  return null;
}

export const authRoutes = new Hono<VendorEnv>();

authRoutes.post("/skyslope/auth/login", async (c) => {
  const vs = c.env.vs;
  const timestamp = c.req.header("timestamp") ?? "";
  const m = /^SS\s+([^:\s]+):(\S+)$/.exec(c.req.header("authorization") ?? "");
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  const clientId = str(o?.["clientID"]) ?? str(o?.["ClientId"]) ?? str(o?.["clientId"]);
  const clientSecret = str(o?.["clientSecret"]) ?? str(o?.["ClientSecret"]);
  if (m === null || timestamp === "") return skyslopeError(401, "Authorization and Timestamp headers are required.");
  const when = Date.parse(timestamp);
  if (Number.isNaN(when) || Math.abs(when - vs.now()) > CLOCK_SKEW_MS)
    return skyslopeError(401, "Timestamp is invalid or too far from the server time.");
  if (
    clientId !== vs.env.SKYSLOPE_CLIENT_ID ||
    clientSecret === undefined ||
    !safeEqual(clientSecret, vs.env.SKYSLOPE_CLIENT_SECRET) ||
    breaks(vs.settings, "credentials")
  ) {
    return skyslopeError(401, "Invalid client credentials.");
  }
  const expected = toBase64(await hmac("SHA-256", vs.env.SKYSLOPE_ACCESS_SECRET, `${clientId}:${clientSecret}:${timestamp}`));
  if (m[1] !== vs.env.SKYSLOPE_ACCESS_KEY || !safeEqual(m[2] ?? "", expected)) return skyslopeError(401, "Invalid access key signature.");
  const lifetime = (vs.settings.tokenLifetimeSeconds ?? 3600) * 1000;
  const session: Session = { token: vs.rng.uuid(), expiresAt: vs.now() + lifetime };
  vs.store.put<Session>("session", session.token, session);
  return json({ Session: session.token, Expiration: isoSeconds(session.expiresAt) });
});
