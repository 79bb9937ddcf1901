import * as z from "../../lib/zod";
import type { ConnectionConfig } from "../../config/brokerage";
import type { StoredCredential } from "../../durable/vendor-gate";
import { toBase64, utf8 } from "../../lib/bytes";
import { fail, ok, permanent, type Result } from "../../lib/result";
import { classifyStatus, networkFailure, retryAfterSeconds } from "./classify";

const TokenAnswer = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.optional(z.string().check(z.minLength(1))),
  expires_in: z.optional(z.coerce.number().check(z.positive())),
});

function oauthMessage(body: unknown, status: number): string {
  if (body && typeof body === "object") {
    const o = body as Record<string, unknown>;
    const text = [o.error, o.error_description].filter((v) => typeof v === "string" && v).join(": ");
    if (text) return text;
  }
  return `HTTP ${status}`;
}

/**
 * One OAuth 2.0 token-endpoint call (RFC 6749 §4.1.3 / §6): Basic client authentication, a
 * form-encoded grant, the answer as a credential. A refresh answer without a refresh token keeps
 * `previousRefresh`; with one (rotation), the new one replaces it.
 */
export async function requestToken(
  vendor: string,
  url: string,
  config: ConnectionConfig,
  grant: Record<string, string>,
  opts: { defaultLifetimeS: number; previousRefresh?: string | undefined; meta?: Record<string, string> | undefined },
): Promise<Result<StoredCredential>> {
  const { clientId, clientSecret } = config.credentials;
  if (!clientId || !clientSecret)
    return permanent("credentials_missing", `${config.id}: clientId and clientSecret are required`, { vendor });
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Basic ${toBase64(utf8(`${clientId}:${clientSecret}`))}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: new URLSearchParams(grant).toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    return fail(networkFailure(vendor, err));
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a non-JSON answer is reported as text
  }
  if (!res.ok)
    return fail(classifyStatus(vendor, res.status, oauthMessage(body, res.status), retryAfterSeconds(res.headers.get("retry-after"))));
  const parsed = TokenAnswer.safeParse(body);
  if (!parsed.success) return permanent("vendor_unexpected_response", "token answer without access_token", { vendor });
  const t = parsed.data;
  const refreshToken = t.refresh_token ?? opts.previousRefresh;
  return ok({
    accessToken: t.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: Date.now() + (t.expires_in ?? opts.defaultLifetimeS) * 1000,
    ...(opts.meta ? { meta: opts.meta } : {}),
  });
}
