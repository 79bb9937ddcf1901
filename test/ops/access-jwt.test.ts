import { describe, expect, it } from "vitest";
import { accessIssuer, verifyAccessJwt, type AccessKey } from "../../src/ops/access-jwt";
import { toBase64, utf8 } from "../../src/lib/bytes";

const b64url = (b: Uint8Array) => toBase64(b).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const part = (o: unknown) => b64url(utf8(JSON.stringify(o)));

async function keyPair(): Promise<{ priv: CryptoKey; jwk: AccessKey }> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as AccessKey;
  return { priv: pair.privateKey, jwk: { ...jwk, kid: "k1" } };
}

async function sign(priv: CryptoKey, header: unknown, claims: unknown): Promise<string> {
  const input = `${part(header)}.${part(claims)}`;
  const sig = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", priv, utf8(input)));
  return `${input}.${b64url(sig)}`;
}

describe("Cloudflare Access JWT verification", async () => {
  const { priv, jwk } = await keyPair();
  const other = await keyPair();
  const now = 1_800_000_000;
  const issuer = "https://brokerage.cloudflareaccess.com";
  const claims = { aud: ["app-aud"], iss: issuer, email: "ops@brokerage.example", exp: now + 600, iat: now };
  const opts = { aud: "app-aud", issuer, keys: [jwk], nowSeconds: now };

  it("accepts a token signed by a published key, for this audience, in its window", async () => {
    expect(await verifyAccessJwt(await sign(priv, { alg: "RS256", kid: "k1" }, claims), opts)).toEqual({
      ok: true,
      subject: "ops@brokerage.example",
    });
  });

  it("refuses another audience, an expired token, another key's signature, alg none and an unknown kid", async () => {
    const h = { alg: "RS256", kid: "k1" };
    expect(await verifyAccessJwt(await sign(priv, h, { ...claims, aud: "other" }), opts)).toMatchObject({ ok: false, reason: "audience" });
    expect(await verifyAccessJwt(await sign(priv, h, { ...claims, exp: now - 1 }), opts)).toMatchObject({ ok: false, reason: "expired" });
    expect(await verifyAccessJwt(await sign(other.priv, h, claims), opts)).toMatchObject({ ok: false, reason: "signature" });
    expect(await verifyAccessJwt(`${part({ alg: "none" })}.${part(claims)}.`, opts)).toMatchObject({ ok: false });
    expect(await verifyAccessJwt(await sign(priv, { alg: "RS256", kid: "k9" }, claims), opts)).toMatchObject({
      ok: false,
      reason: "unknown_key",
    });
  });

  it("refuses a token another Access team issued, or one naming no issuer, even when the key and audience fit", async () => {
    const h = { alg: "RS256", kid: "k1" };
    expect(await verifyAccessJwt(await sign(priv, h, { ...claims, iss: "https://other-team.cloudflareaccess.com" }), opts)).toMatchObject({
      ok: false,
      reason: "issuer",
    });
    const { iss: _iss, ...noIssuer } = claims;
    expect(await verifyAccessJwt(await sign(priv, h, noIssuer), opts)).toMatchObject({ ok: false, reason: "issuer" });
  });

  it("a service token's JWT (no email) names its client id", async () => {
    const { email: _e, ...service } = claims;
    expect(await verifyAccessJwt(await sign(priv, { alg: "RS256", kid: "k1" }, { ...service, common_name: "abc.access" }), opts)).toEqual({
      ok: true,
      subject: "abc.access",
    });
  });

  it("the issuer is the team domain, given with or without its scheme, else the certs URL's origin", () => {
    expect(accessIssuer("https://acme.cloudflareaccess.com/cdn-cgi/access/certs")).toBe("https://acme.cloudflareaccess.com");
    expect(accessIssuer("https://acme.cloudflareaccess.com/cdn-cgi/access/certs", "acme.cloudflareaccess.com")).toBe(
      "https://acme.cloudflareaccess.com",
    );
    expect(accessIssuer("https://x/certs", "https://acme.cloudflareaccess.com/")).toBe("https://acme.cloudflareaccess.com");
    expect(accessIssuer("not a url")).toBeNull();
  });

  it("a token whose claims were edited after signing fails", async () => {
    const [h, , s] = (await sign(priv, { alg: "RS256", kid: "k1" }, claims)).split(".");
    const forged = `${h}.${part({ ...claims, email: "attacker@example.com" })}.${s}`;
    expect(await verifyAccessJwt(forged, opts)).toMatchObject({ ok: false, reason: "signature" });
  });
});
