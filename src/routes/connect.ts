import type { Context } from "hono";
import { readCookie, writeCookie } from "./cookies";
import type { ConnectionConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import type { StoredCredential } from "../durable/vendor-gate";
import { BoundedCache } from "../lib/bounded-cache";
import { fromBase64, toBase64Url, utf8 } from "../lib/bytes";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import type { Result } from "../lib/result";
import { appendTrace } from "../store/traces";
import { digestsEqual } from "../verify/digest";
import { dotloopOAuth } from "../vendors/dotloop/oauth";
import { pkceChallenge, usesPkce } from "../vendors/shared/pkce";
import { lionDeskOAuth } from "../vendors/liondesk/oauth";
import { quickBooksOAuth } from "../vendors/quickbooks/oauth";
import { connectionConfigFor } from "../vendors/registry";
import { fromAnotherSite, subApp, type App } from "./app";
import { syncWebhooks, type VendorSync } from "../ops/webhooks";
import { hubUrlOf } from "./hub-url";
import { operatorOf, weakTokenRefusal, type Operator } from "./operator";
import { failureLabel } from "../lib/failures";

/** What the connect flow needs of an OAuth vendor. */
interface OAuthProvider {
  /** Whether the vendor publishes PKCE support (a connection's `pkce` setting overrides it). */
  pkceByDefault: boolean;
  authorizeUrl(config: ConnectionConfig, redirectUri: string, state: string, codeChallenge?: string): Result<string>;
  exchangeCode(
    config: ConnectionConfig,
    input: { code: string; redirectUri: string; callback: Record<string, string>; codeVerifier?: string },
  ): Promise<Result<StoredCredential>>;
}

const PROVIDERS: Record<string, OAuthProvider> = { dotloop: dotloopOAuth, quickbooks: quickBooksOAuth, liondesk: lionDeskOAuth };

/** A flow must finish within this many seconds of starting. */
const STATE_TTL_S = 600;
/**
 * Binds the flow to the browser that started it: the nonce lives only in this HttpOnly cookie and
 * the state carries its SHA-256, so whoever sees the state (in the vendor's URLs, a browser's
 * history, a proxy's log) can neither finish the flow nor derive its PKCE verifier.
 */
const NONCE_COOKIE = "dw_connect";

interface State {
  c: string; // connection id
  v: string; // vendor
  h: string; // SHA-256 of the nonce in the starter's cookie, base64url
  e: number; // expiry, epoch seconds
  a?: string; // the operator who started the flow, recorded when it completes
}

const stateKeys = new BoundedCache<Promise<CryptoKey>>(16);

/** An HMAC key derived (HKDF) from TOKEN_ENCRYPTION_KEY, so the AES key itself never signs anything. */
function stateKey(secret: string): Promise<CryptoKey> {
  return stateKeys.get(secret, () => {
    const raw = fromBase64(secret) ?? utf8(secret);
    return crypto.subtle
      .importKey("raw", raw, "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8("dealwire/connect-state/v1") },
          base,
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign", "verify"],
        ),
      );
  });
}

async function signState(secret: string, s: State): Promise<string> {
  const body = toBase64Url(utf8(JSON.stringify(s)));
  const mac = await crypto.subtle.sign("HMAC", await stateKey(secret), utf8(body));
  return `${body}.${toBase64Url(mac)}`;
}

/** The state's payload if its MAC verifies (constant time) and it has not expired; else null. */
async function verifyState(secret: string, text: string, now: number): Promise<State | null> {
  const [body, mac, extra] = text.split(".");
  const sig = mac ? fromBase64(mac) : null;
  if (!body || !sig || extra !== undefined) return null;
  if (!(await crypto.subtle.verify("HMAC", await stateKey(secret), sig, utf8(body)))) return null;
  const bytes = fromBase64(body);
  let s: Partial<State>;
  try {
    s = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array(0))) as Partial<State>;
  } catch {
    return null;
  }
  if (typeof s.c !== "string" || typeof s.v !== "string" || typeof s.h !== "string" || typeof s.e !== "number") return null;
  return s.e * 1000 > now ? { c: s.c, v: s.v, h: s.h, e: s.e, ...(typeof s.a === "string" ? { a: s.a } : {}) } : null;
}

const nonceHash = async (nonce: string) => toBase64Url(await crypto.subtle.digest("SHA-256", utf8(nonce)));

/**
 * The flow's PKCE code verifier, derived from its nonce under the state key: only the starting
 * browser holds the nonce and only the hub the key, so whoever intercepts the code cannot compute
 * the verifier; and the flow needs no server-side storage.
 */
async function codeVerifier(secret: string, nonce: string): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", await stateKey(secret), utf8(`pkce-verifier|${nonce}`)));
}

/**
 * Starting a flow replaces the connection's credential, so only operators may: through Access
 * when it is configured, else with the ops token as a Bearer token or as the Basic password (a
 * browser then simply prompts for it). Failures count against the client's limit.
 */
async function operator(c: Context<App>): Promise<Operator> {
  const refused = weakTokenRefusal(c);
  if (refused) return { ok: false, response: refused };
  return operatorOf(c, { basic: true, challenge: 'Basic realm="dealwire ops", charset="UTF-8"' });
}

function providerOf(vendor: string): OAuthProvider {
  // Own keys only: "__proto__" or "toString" must not pass for a vendor.
  const p = Object.hasOwn(PROVIDERS, vendor) ? PROVIDERS[vendor] : undefined;
  if (!p) throw new AppError("not_found", `'${vendor}' is not connected by OAuth; use dotloop, quickbooks or liondesk.`);
  return p;
}

function connectionOf(env: Env, vendor: string, id: string): ConnectionConfig {
  const conn = connectionConfigFor(brokerageConfig(env), id);
  if (!conn || conn.vendor !== vendor) throw new AppError("bad_request", `No ${vendor} connection '${id}' in the configuration.`);
  return conn;
}

const redirectUriOf = (env: Env, requestUrl: string, vendor: string) => `${hubUrlOf(env, requestUrl)}/connect/${vendor}/callback`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * OAuth connect: `GET /connect/:vendor[?connection=<id>]` sends an operator to the vendor's
 * consent page; `GET /connect/:vendor/callback` checks the signed, time-limited state, trades the
 * code for a credential and stores it (encrypted) in the connection's gate. No server-side
 * storage: the state carries the connection id under an HMAC, the cookie ties it to the browser.
 */
/** What the connect page says of the connection's webhook registrations, failures first. */
function webhookLine(hooks: VendorSync): string {
  const retry = "run <code>npm run webhooks -- sync</code> once that is fixed";
  if (hooks.error) return `<p>Webhooks could not be registered (${escapeHtml(hooks.error.message)}); ${retry}.</p>`;
  const failed = hooks.actions.filter((a) => a.error);
  if (failed.length > 0) {
    const which = failed.map((a) => `${a.kind} ${a.events.join(", ")}: ${a.error}`).join("; ");
    return `<p>${failed.length} of ${hooks.actions.length} webhook registrations failed (${escapeHtml(which)}); ${retry}.</p>`;
  }
  return `<p>Webhooks are registered at <code>${escapeHtml(hooks.url)}</code>.</p>`;
}

export const connect = subApp()
  .get("/:vendor", async (c) => {
    const vendor = c.req.param("vendor");
    const provider = providerOf(vendor);
    const who = await operator(c);
    if (!who.ok) return who.response;
    // A browser sends Basic credentials (and Access's cookie) with a link from anywhere: a page
    // elsewhere could otherwise swap the connection for whichever vendor account is signed in.
    if (fromAnotherSite(c.req.raw)) throw new AppError("forbidden", `A link from another site cannot start connecting ${vendor}.`);
    const conn = connectionOf(c.env, vendor, c.req.query("connection") ?? `${vendor}:main`);
    const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const state = await signState(c.env.TOKEN_ENCRYPTION_KEY, {
      c: conn.id,
      v: vendor,
      h: await nonceHash(nonce),
      e: Math.floor(Date.now() / 1000) + STATE_TTL_S,
      a: who.actor,
    });
    const challenge = usesPkce(conn, provider.pkceByDefault)
      ? await pkceChallenge(await codeVerifier(c.env.TOKEN_ENCRYPTION_KEY, nonce))
      : undefined;
    const url = provider.authorizeUrl(conn, redirectUriOf(c.env, c.req.url, vendor), state, challenge);
    if (!url.ok) throw new AppError("config_invalid", url.error.message);
    await appendTrace(c.env.DB, { subject: conn.id, stage: "CONNECT_STARTED", detail: `${vendor} by ${who.actor}`, at: Date.now() });
    writeCookie(c, NONCE_COOKIE, nonce, {
      path: "/connect",
      sameSite: "Lax", // sent on the vendor's top-level redirect back to the callback
      secure: hubUrlOf(c.env, c.req.url).startsWith("https:"),
      maxAge: STATE_TTL_S,
    });
    return c.redirect(url.value, 302);
  })
  .get("/:vendor/callback", async (c) => {
    const vendor = c.req.param("vendor");
    const provider = providerOf(vendor);
    const q = c.req.query();
    if (q.error) throw new AppError("bad_request", `${vendor} did not grant access: ${q.error.slice(0, 100)}`);
    if (!q.code || !q.state) throw new AppError("bad_request", "The callback needs code and state.");
    const state = await verifyState(c.env.TOKEN_ENCRYPTION_KEY, q.state, Date.now());
    if (!state || state.v !== vendor)
      throw new AppError("unauthorized", `The state is invalid or has expired; start again at /connect/${vendor}.`);
    const nonce = readCookie(c, NONCE_COOKIE);
    if (!nonce || !digestsEqual(utf8(await nonceHash(nonce)), utf8(state.h)))
      throw new AppError("unauthorized", "This browser did not start this connect flow.");
    const conn = connectionOf(c.env, vendor, state.c);
    const verifier = usesPkce(conn, provider.pkceByDefault) ? { codeVerifier: await codeVerifier(c.env.TOKEN_ENCRYPTION_KEY, nonce) } : {};
    const cred = await provider.exchangeCode(conn, {
      code: q.code,
      redirectUri: redirectUriOf(c.env, c.req.url, vendor),
      callback: q,
      ...verifier,
    });
    if (!cred.ok) {
      log("warn", "connect_failed", { vendor, connection: conn.id, code: failureLabel(cred.error), status: cred.error.status });
      throw new AppError(
        cred.error.retryable ? "upstream_unavailable" : "bad_request",
        `${vendor} refused the connection: ${cred.error.message}`,
      );
    }
    await c.env.VENDOR_GATE.getByName(conn.id).storeCredential(null, cred.value);
    writeCookie(c, NONCE_COOKIE, "", { path: "/connect", maxAge: 0 });
    await appendTrace(c.env.DB, {
      subject: conn.id,
      stage: "CONNECTED",
      detail: `${vendor} by ${state.a ?? "an operator (flow started before actors were recorded)"}`,
      at: Date.now(),
    });
    log("info", "connected", { vendor, connection: conn.id });
    // A vendor whose API takes webhook subscriptions gets the hub's now; a failure is reported
    // here and by `npm run webhooks -- sync`, and does not undo the connection.
    const hooks = await syncWebhooks(c.env, hubUrlOf(c.env, c.req.url), { only: conn.id }).then(
      (r) => r.vendors[0],
      (e: unknown): VendorSync => ({
        vendor,
        connection: conn.id,
        url: "",
        actions: [],
        error: { code: "webhook_sync_failed", message: e instanceof Error ? e.message : String(e) },
      }),
    );
    const result = {
      status: "connected",
      vendor,
      connection: conn.id,
      ...(cred.value.meta?.realmId ? { realmId: cred.value.meta.realmId } : {}),
      ...(hooks ? { webhooks: hooks } : {}),
    };
    if (!(c.req.header("accept") ?? "").includes("text/html")) return c.json(result);
    return c.html(
      `<!doctype html><meta charset="utf-8"><title>Connected</title><p>${escapeHtml(vendor)} is connected as <code>${escapeHtml(conn.id)}</code>. You can close this page.</p>${hooks ? webhookLine(hooks) : ""}`,
    );
  });
