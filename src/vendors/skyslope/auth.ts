import { z } from "zod";
import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate, StoredCredential } from "../../durable/vendor-gate";
import { toBase64, utf8 } from "../../lib/bytes";
import { ok, permanent, type Result } from "../../lib/result";
import { gateAuthorizer } from "../shared/oauth";
import { vendorRequest, type Authorizer, type Connection } from "../shared/transport";
import { skySlopeDialect } from "./dialect";

const VENDOR = "skyslope";
/** SkySlope does not document a session lifetime; when the answer's Expiration is unreadable. */
const FALLBACK_SESSION_MS = 30 * 60_000;

const LoginAnswer = z.looseObject({ Session: z.string().min(1), Expiration: z.string().nullish() });

/** UTC ISO-8601 without milliseconds, as the `Timestamp` header and the signature want it. */
export function loginTimestamp(now = Date.now()): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * `SS <AccessKey>:<base64(HMAC-SHA256(AccessSecret, "<ClientId>:<ClientSecret>:<Timestamp>"))>`:
 * the partner pair identifies the integration, the user's key pair signs for the user.
 */
export async function loginSignature(creds: { clientId: string; clientSecret: string; accessKey: string; accessSecret: string }, timestamp: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(creds.accessSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, utf8(`${creds.clientId}:${creds.clientSecret}:${timestamp}`));
  return `SS ${creds.accessKey}:${toBase64(mac)}`;
}

/** SkySlope writes naive timestamps (no zone) that mean UTC. */
function expiresAt(expiration: string | null | undefined, now: number): number {
  if (!expiration) return now + FALLBACK_SESSION_MS;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(expiration) ? expiration : `${expiration}Z`;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? now + FALLBACK_SESSION_MS : t;
}

/**
 * `POST /auth/login` → a session. The login goes through the connection's gate like any call,
 * so it spends the same budget the vendor counts it against.
 */
async function login(conn: Connection): Promise<Result<StoredCredential>> {
  const { clientId, clientSecret, accessKey, accessSecret } = conn.config.credentials;
  if (!clientId || !clientSecret || !accessKey || !accessSecret) {
    return permanent("credentials_missing", `${conn.config.id}: clientId, clientSecret, accessKey and accessSecret are required`, { vendor: VENDOR });
  }
  const timestamp = loginTimestamp();
  const authorization = await loginSignature({ clientId, clientSecret, accessKey, accessSecret }, timestamp);
  const r = await vendorRequest<unknown>(conn, {
    method: "POST",
    path: "/auth/login",
    headers: { timestamp, authorization },
    json: { clientID: clientId, clientSecret },
  });
  if (!r.ok) return r;
  const parsed = LoginAnswer.safeParse(r.value.data);
  if (!parsed.success) return permanent("skyslope_unexpected_response", "login answer without Session", { vendor: VENDOR });
  return ok({ accessToken: parsed.data.Session, expiresAt: expiresAt(parsed.data.Expiration, Date.now()) });
}

/** Sessions are kept in the gate; renewing is logging in again (also after a 401). */
export function skySlopeAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  const anonymous: Authorizer = { headers: async () => ok({ headers: {} }) };
  const loginConnection: Connection = { config, gate, dialect: skySlopeDialect, auth: anonymous };
  return gateAuthorizer(gate, () => login(loginConnection), (token) => ({ session: token }));
}
