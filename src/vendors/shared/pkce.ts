import { toBase64Url, utf8 } from "../../lib/bytes";

/** PKCE (RFC 7636) for the OAuth connect flows, S256 only. */

/** BASE64URL(SHA-256(verifier)): the challenge the authorization request carries. */
export async function pkceChallenge(verifier: string): Promise<string> {
  return toBase64Url(await crypto.subtle.digest("SHA-256", utf8(verifier)));
}

/** The authorization request's PKCE parameters, or none when the flow runs without PKCE. */
export function challengeParams(challenge: string | undefined): Record<string, string> {
  return challenge ? { code_challenge: challenge, code_challenge_method: "S256" } : {};
}

/** The token request's PKCE parameter, or none. */
export function verifierParams(verifier: string | undefined): Record<string, string> {
  return verifier ? { code_verifier: verifier } : {};
}

/** Whether a connection's connect flow sends PKCE: its own `pkce` setting, else what the vendor publishes. */
export function usesPkce(config: { pkce?: boolean | undefined }, vendorDefault: boolean): boolean {
  return config.pkce ?? vendorDefault;
}
