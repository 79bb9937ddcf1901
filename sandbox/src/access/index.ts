/**
 * A simulated Cloudflare Access team: it publishes its signing keys where Access does
 * (`https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`, or `/access/<team>/cdn-cgi/access/certs`
 * on the sandbox's own host) and signs the RS256 JWT Access would put in `Cf-Access-Jwt-Assertion`.
 * Each team has its own keys, rotation and counters, so tests never share a key cache by accident.
 * Keys live in the isolate's memory: a restart gives a team new keys, as a rotation would.
 */
import { Hono } from "hono";
import { asObject, json, num, readJson, str } from "../lib/http";
import { toBase64, utf8 } from "../lib/bytes";

interface TeamKey {
  kid: string;
  priv: CryptoKey;
  jwk: JsonWebKey & { kid: string };
}

interface Team {
  keys: TeamKey[]; // newest first; Access publishes the current and the previous key
  certsFetches: number;
  certsStatus: number | null;
}

const teams = new Map<string, Team>();

const b64url = (b: Uint8Array | ArrayBuffer) => toBase64(b).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function newKey(): Promise<TeamKey> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const kid = b64url(crypto.getRandomValues(new Uint8Array(12)));
  const jwk = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  return { kid, priv: pair.privateKey, jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: "RS256", use: "sig", kid } };
}

async function team(name: string): Promise<Team> {
  let t = teams.get(name);
  if (!t) {
    t = { keys: [await newKey()], certsFetches: 0, certsStatus: null };
    teams.set(name, t);
  }
  return t;
}

const TEAM = /^[a-z0-9-]{1,63}$/;

function certs(t: Team): Response {
  t.certsFetches++;
  if (t.certsStatus !== null) return json({ error: "unavailable" }, t.certsStatus);
  return json({ keys: t.keys.map((k) => k.jwk) });
}

export const access = new Hono<{ Bindings: SandboxEnv }>();

// The team's own host, as production reaches it (in tests every outbound fetch lands here).
access.get("/cdn-cgi/access/certs", async (c) => {
  const m = /^([a-z0-9-]{1,63})\.cloudflareaccess\.com$/.exec(new URL(c.req.url).hostname);
  if (!m?.[1]) return json({ error: "not_found" }, 404);
  return certs(await team(m[1]));
});

access.get("/access/:team/cdn-cgi/access/certs", async (c) => {
  const name = c.req.param("team");
  return TEAM.test(name) ? certs(await team(name)) : json({ error: "not_found" }, 404);
});

/**
 * Mints a JWT as Access would for a signed-in user: `{aud, email?, commonName?, iss?, expSeconds?,
 * kid?}`. `iss` defaults to `https://<team>.cloudflareaccess.com`; `kid` to the current key (an
 * unknown kid is signed with the current key but names a key never published).
 */
access.post("/_sandbox/access/:team/token", async (c) => {
  const name = c.req.param("team");
  if (!TEAM.test(name)) return json({ error: "bad_team" }, 400);
  const read = await readJson(c.req.raw);
  const body = read.ok ? asObject(read.value) : null;
  const aud = str(body?.["aud"]);
  if (!body || !aud) return json({ error: "aud is required" }, 400);
  const t = await team(name);
  const key = t.keys[0] as TeamKey;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    aud: [aud],
    iss: str(body["iss"]) ?? `https://${name}.cloudflareaccess.com`,
    iat: now,
    nbf: now,
    exp: now + (num(body["expSeconds"]) ?? 3600),
    sub: crypto.randomUUID(),
    type: "app",
  };
  const email = str(body["email"]);
  const commonName = str(body["commonName"]);
  if (email) claims["email"] = email;
  if (commonName) claims["common_name"] = commonName;
  const header = { alg: "RS256", kid: str(body["kid"]) ?? key.kid, typ: "JWT" };
  const input = `${b64url(utf8(JSON.stringify(header)))}.${b64url(utf8(JSON.stringify(claims)))}`;
  const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key.priv, utf8(input));
  return json({ token: `${input}.${b64url(sig)}`, kid: header.kid });
});

/** Rotates the team's signing key: the new key signs, the previous one stays published. */
access.post("/_sandbox/access/:team/rotate", async (c) => {
  const name = c.req.param("team");
  if (!TEAM.test(name)) return json({ error: "bad_team" }, 400);
  const t = await team(name);
  t.keys = [await newKey(), ...t.keys].slice(0, 2);
  return json({ kid: t.keys[0]?.kid });
});

access.get("/_sandbox/access/:team/counters", async (c) => {
  const name = c.req.param("team");
  if (!TEAM.test(name)) return json({ error: "bad_team" }, 400);
  return json({ certsFetches: (await team(name)).certsFetches });
});

/** `{certsStatus: 503}` makes the certs URL fail with that status until set back to null. */
access.put("/_sandbox/access/:team/settings", async (c) => {
  const name = c.req.param("team");
  const read = await readJson(c.req.raw);
  const body = read.ok ? asObject(read.value) : null;
  const status = body?.["certsStatus"];
  if (!TEAM.test(name) || !body || !(status === null || (typeof status === "number" && status >= 400 && status <= 599))) {
    return json({ error: "certsStatus must be null or a 4xx/5xx status" }, 400);
  }
  const t = await team(name);
  t.certsStatus = status;
  return json({ certsStatus: t.certsStatus });
});
