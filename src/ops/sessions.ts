import { toBase64Url } from "../lib/bytes";
import { findSession, insertSession, revokeSession } from "../store/ops-sessions";
import { sha256Hex } from "./credentials";

/** Dashboard sessions, held server-side so they can expire, be revoked and end at logout. */

/** How long a dashboard session lasts from sign-in. */
export const SESSION_SECONDS = 12 * 60 * 60;

const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Starts a session for `actor`; returns the cookie value (a random id never stored as such). */
export async function startSession(db: D1Database, actor: string, now: number): Promise<string> {
  const id = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  await insertSession(db, { id_hash: await sha256Hex(id), actor, created_at: now, expires_at: now + SESSION_SECONDS * 1000 });
  return id;
}

export type SessionCheck = { ok: true; actor: string } | { ok: false; code: "unauthorized" | "session_expired" | "session_revoked" };

/**
 * The session a cookie names, if it is live: known, not revoked, not expired, and signed in
 * with the ops token configured now (rotating OPS_TOKEN ends every session made with the old one).
 */
export async function checkSession(db: D1Database, cookie: string, currentActor: string | null, now: number): Promise<SessionCheck> {
  if (!ID_SHAPE.test(cookie)) return { ok: false, code: "unauthorized" };
  const row = await findSession(db, await sha256Hex(cookie));
  if (!row) return { ok: false, code: "unauthorized" };
  if (row.revoked_at !== null || row.actor !== currentActor) return { ok: false, code: "session_revoked" };
  if (row.expires_at <= now) return { ok: false, code: "session_expired" };
  return { ok: true, actor: row.actor };
}

/** Revokes the session a cookie names (logout); an unknown or malformed cookie changes nothing. */
export async function endSession(db: D1Database, cookie: string, now: number): Promise<void> {
  if (ID_SHAPE.test(cookie)) await revokeSession(db, await sha256Hex(cookie), now);
}
