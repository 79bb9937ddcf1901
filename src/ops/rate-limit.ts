import { countFailure, failureWindow } from "../store/ops-sessions";
import { sha256Hex } from "./credentials";

/**
 * Per-client limit on credential failures (sign-in, bearer tokens, Access JWTs) on /ops and
 * /connect: after FAILURE_LIMIT failures in a window the client is refused until the window ends,
 * right credentials included, so guessing gains nothing. Counts live in D1 so every isolate
 * agrees; only the operator surface pays for it, never the webhook path.
 */
export const FAILURE_LIMIT = 10;
export const FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * The network an address stands for: an IPv6 address by its /64, which one subscriber holds whole
 * (each of its 2^64 addresses would otherwise get failures of its own); any other as it is.
 */
export function networkOf(ip: string): string {
  if (!ip.includes(":") || ip.includes(".")) return ip;
  const [head = "", tail] = ip.split("::");
  const groups = head ? head.split(":") : [];
  const after = tail ? tail.split(":") : [];
  // `::` stands for as many zero groups as the address leaves out.
  if (tail !== undefined) groups.push(...Array<string>(8 - groups.length - after.length).fill("0"), ...after);
  return groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":");
}

/**
 * The client a request comes from: Cloudflare's CF-Connecting-IP by its network, hashed (an
 * address is personal data). Without it (local runs) every caller is one client.
 */
export async function clientOf(req: Request): Promise<string> {
  return (await sha256Hex(`dealwire-client|${networkOf(req.headers.get("cf-connecting-ip") ?? "local")}`)).slice(0, 32);
}

/** Seconds until the client may try again, or 0 when it is not limited. */
export async function retryAfterSeconds(db: D1Database, client: string, now: number): Promise<number> {
  const w = await failureWindow(db, client);
  if (!w || w.count < FAILURE_LIMIT) return 0;
  const ends = w.window_start + FAILURE_WINDOW_MS;
  return ends > now ? Math.ceil((ends - now) / 1000) : 0;
}

export function noteFailure(db: D1Database, client: string, now: number): Promise<void> {
  return countFailure(db, client, now, FAILURE_WINDOW_MS);
}
