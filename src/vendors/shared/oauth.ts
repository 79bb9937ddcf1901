import type { ConnectionConfig } from "../../config/brokerage";
import type { CredentialAnswer, Gate, StoredCredential } from "../../durable/vendor-gate";
import { ok, permanent, transient, type Result } from "../../lib/result";
import { sleep } from "../../lib/sleep";
import { challengeParams, verifierParams } from "./pkce";
import type { Authorizer } from "./transport";

/** Renews a credential: an OAuth refresh, a vendor login. Null `current` means none is stored yet. */
export type Renew = (current: StoredCredential | null) => Promise<Result<StoredCredential>>;

/**
 * A bearer-token authorizer backed by the connection's gate. Exactly one caller renews at a time
 * (the gate leases it); the renewed credential is stored in the gate before anyone uses it, so a
 * rotated refresh token is never lost. When the gate refuses the store (another credential was
 * stored meanwhile, e.g. a new grant from the connect flow), the stored one is read and used.
 */
export function gateAuthorizer(gate: Gate, renew: Renew, header: (token: string) => Record<string, string>): Authorizer {
  return {
    async headers() {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const ans: CredentialAnswer = await gate.credential();
        if (ans.kind === "token") return ok({ headers: header(ans.credential.accessToken), token: ans.credential.accessToken });
        if (ans.kind === "wait") {
          if (Date.now() > deadline) return transient("credential_busy", "another caller is renewing the credential");
          await sleep(ans.waitMs);
          continue;
        }
        const renewed = await renew(ans.credential);
        if (!renewed.ok) {
          await gate.abandonLease(ans.leaseId);
          // A stored grant the hub cannot open is not the same as none: say which key is missing.
          if (ans.unreadable && renewed.error.code === "not_connected")
            return permanent("credential_unreadable", ans.unreadable, { vendor: renewed.error.vendor });
          return renewed;
        }
        if (!(await storeRenewed(gate, ans.leaseId, renewed.value))) continue;
        return ok({ headers: header(renewed.value.accessToken), token: renewed.value.accessToken });
      }
    },
    async invalidate(token) {
      await gate.invalidate(token);
    },
  };
}

/**
 * Stores a renewed credential, riding out a gate that is overloaded or being reset (for about 16
 * s, well within the lease): a rotated refresh token exists nowhere else, and the vendor has
 * revoked the one before it. A store that landed but whose answer was lost is refused on the
 * next try (its version moved on), and the caller reads the stored credential.
 */
async function storeRenewed(gate: Gate, leaseId: string, credential: StoredCredential): Promise<boolean> {
  for (let wait = 250; ; wait *= 2) {
    try {
      return await gate.storeCredential(leaseId, credential);
    } catch (err) {
      if (wait > 8_000) throw err;
      await sleep(wait);
    }
  }
}

/** For OAuth vendors with no stored grant yet: the brokerage must connect first (/connect/:vendor). */
export function notConnected(vendor: string): Result<never> {
  return permanent("not_connected", `${vendor} is not connected; visit /connect/${vendor} to authorize the hub`, { vendor });
}

/**
 * An authorization-code flow's consent URL: `url?response_type=code&client_id&redirect_uri&state`,
 * then the vendor's own parameters (a scope) and the PKCE challenge when one is used.
 */
export function consentUrl(
  vendor: string,
  config: ConnectionConfig,
  url: string,
  to: { redirectUri: string; state: string; codeChallenge?: string | undefined },
  own: Record<string, string> = {},
): Result<string> {
  const clientId = config.credentials.clientId;
  if (!clientId) return permanent("credentials_missing", `${config.id}: clientId is required`, { vendor });
  const u = new URL(url);
  u.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: to.redirectUri,
    state: to.state,
    ...own,
    ...challengeParams(to.codeChallenge),
  }).toString();
  return ok(u.toString());
}

/** The token request's grant for the callback's code (with the PKCE verifier when one is used). */
export function codeGrant(input: { code: string; redirectUri: string; codeVerifier?: string | undefined }): Record<string, string> {
  return { grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri, ...verifierParams(input.codeVerifier) };
}

/**
 * Renews with the stored refresh token. No grant yet, or a grant the vendor no longer honours
 * (400/401 invalid_grant), is permanent `not_connected`: someone must connect again.
 */
export async function refreshGrant(
  vendor: string,
  name: string,
  config: ConnectionConfig,
  current: StoredCredential | null,
  request: (grant: Record<string, string>, refreshToken: string) => Promise<Result<StoredCredential>>,
): Promise<Result<StoredCredential>> {
  if (!current?.refreshToken) return notConnected(vendor);
  const r = await request({ grant_type: "refresh_token", refresh_token: current.refreshToken }, current.refreshToken);
  if (!r.ok && (r.error.status === 400 || r.error.status === 401) && r.error.code !== "credentials_missing")
    return permanent(
      "not_connected",
      `${name} refused the refresh token (${r.error.message}); reconnect at /connect/${vendor}?connection=${config.id}`,
      {
        vendor,
        status: r.error.status,
      },
    );
  return r;
}
