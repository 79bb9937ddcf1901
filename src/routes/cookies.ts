import type { Context } from "hono";

/**
 * The hub's two cookies (the dashboard session and the connect flow's nonce), read and written
 * by hand: each has one fixed shape, and Hono's cookie helper ships its signing, prefix and
 * option checks with it.
 */

/** A cookie's value as the browser sent it, or undefined. Values are URL-encoded when written. */
export function readCookie(c: Context, name: string): string | undefined {
  for (const pair of (c.req.raw.headers.get("cookie") ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Sets an HttpOnly cookie on the answer; `maxAge` 0 tells the browser to drop it. */
export function writeCookie(
  c: Context,
  name: string,
  value: string,
  o: { path: string; maxAge: number; sameSite?: "Strict" | "Lax"; secure?: boolean },
): void {
  c.header(
    "set-cookie",
    `${name}=${encodeURIComponent(value)}; Max-Age=${o.maxAge}; Path=${o.path}; HttpOnly${o.secure ? "; Secure" : ""}${o.sameSite ? `; SameSite=${o.sameSite}` : ""}`,
    { append: true },
  );
}
