import * as z from "../../lib/zod";
import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate, StoredCredential } from "../../durable/vendor-gate";
import { toBase64, utf8 } from "../../lib/bytes";
import { fail, ok, permanent, type Result } from "../../lib/result";
import { classifyStatus, networkFailure, retryAfterSeconds } from "../shared/classify";
import { gateAuthorizer } from "../shared/oauth";
import { readBody, type Authorizer } from "../shared/transport";
import { skySlopeDialect } from "./dialect";

const VENDOR = "skyslope";
/** SkySlope does not document a session lifetime; when the answer's Expiration is unreadable. */
const FALLBACK_SESSION_MS = 30 * 60_000;

const LoginAnswer = z.looseObject({ Session: z.string().check(z.minLength(1)), Expiration: z.nullish(z.string()) });

/** UTC ISO-8601 without milliseconds, as the `Timestamp` header and the signature want it. */
export function loginTimestamp(now = Date.now()): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * `SS <AccessKey>:<base64(HMAC-SHA256(AccessSecret, "<ClientId>:<ClientSecret>:<Timestamp>"))>`:
 * the partner pair identifies the integration, the user's key pair signs for the user.
 */
export async function loginSignature(
  creds: { clientId: string; clientSecret: string; accessKey: string; accessSecret: string },
  timestamp: string,
): Promise<string> {
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
 * `POST /auth/login` → a session. The login is sent outside the gate's budget on purpose: SkySlope does
 * not meter it like API calls, and a renewal must never wait behind the calls it unblocks.
 */
async function login(config: ConnectionConfig): Promise<Result<StoredCredential>> {
  const { clientId, clientSecret, accessKey, accessSecret } = config.credentials;
  if (!clientId || !clientSecret || !accessKey || !accessSecret) {
    return permanent("credentials_missing", `${config.id}: clientId, clientSecret, accessKey and accessSecret are required`, {
      vendor: VENDOR,
    });
  }
  const timestamp = loginTimestamp();
  const authorization = await loginSignature({ clientId, clientSecret, accessKey, accessSecret }, timestamp);
  let res: Response;
  try {
    res = await fetch(`${config.baseUrl.replace(/\/$/, "")}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", timestamp, authorization },
      body: JSON.stringify({ clientID: clientId, clientSecret }),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    return fail(networkFailure(VENDOR, err));
  }
  const body = await readBody(res);
  if (!res.ok) {
    return fail(
      classifyStatus(VENDOR, res.status, skySlopeDialect.errorMessage(body, res.status), retryAfterSeconds(res.headers.get("retry-after"))),
    );
  }
  const parsed = LoginAnswer.safeParse(body);
  if (!parsed.success) return permanent("vendor_unexpected_response", "login answer without Session", { vendor: VENDOR });
  return ok({ accessToken: parsed.data.Session, expiresAt: expiresAt(parsed.data.Expiration, Date.now()) });
}

/** Sessions are kept in the gate; renewing is logging in again (also after a 401). */
export function skySlopeAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  return gateAuthorizer(
    gate,
    () => login(config),
    (token) => ({ session: token }),
  );
}
