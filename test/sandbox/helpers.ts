/** Helpers for driving the vendor sandbox over HTTP from tests (fetch reaches the sandbox Worker). */
import { env } from "cloudflare:test";

export const SANDBOX = "http://127.0.0.1:8788";

export interface OutboxEntry {
  id: string;
  source: string;
  path: string;
  url: string | null;
  headers: Record<string, string>;
  body: string;
  attempts: number;
}

/** fetch against the sandbox. */
export function sb(path: string, init?: RequestInit): Promise<Response> {
  return fetch(`${SANDBOX}${path}`, init);
}

/** POST/PUT JSON to the sandbox. */
export function sendJson(path: string, body: unknown, method = "POST", headers: Record<string, string> = {}): Promise<Response> {
  return sb(path, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export async function reset(seed?: number): Promise<void> {
  const res = await sendJson("/_sandbox/reset", seed === undefined ? {} : { seed });
  if (res.status !== 200) throw new Error(`reset failed: ${res.status}`);
}

export async function setSettings(vendor: string, patch: Record<string, unknown>): Promise<void> {
  const res = await sendJson(`/_sandbox/${vendor}/settings`, patch, "PUT");
  if (res.status !== 200) throw new Error(`settings failed: ${res.status} ${await res.text()}`);
}

export async function drain(source?: string): Promise<OutboxEntry[]> {
  const res = await sb(`/_sandbox/outbox/drain${source ? `?source=${source}` : ""}`, { method: "POST" });
  return res.json<OutboxEntry[]>();
}

export async function counters(vendor: string): Promise<Record<string, number> & { requestTimes: Record<string, number[]> }> {
  return (await sb(`/_sandbox/${vendor}/counters`)).json();
}

const enc = new TextEncoder();

export async function hmac(alg: "SHA-1" | "SHA-256", key: string | Uint8Array, msg: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", typeof key === "string" ? enc.encode(key) : key, { name: "HMAC", hash: alg }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(msg)));
}

export const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
export const b64 = (b: Uint8Array): string => btoa(String.fromCharCode(...b));
export const unb64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

/** Follow Up Boss request headers: Basic API key plus the system headers. */
export function fubHeaders(opts: { key?: string; systemKey?: string | null } = {}): Record<string, string> {
  const h: Record<string, string> = {
    authorization: `Basic ${btoa(`${opts.key ?? env.FOLLOWUPBOSS_API_KEY}:`)}`,
    "content-type": "application/json",
    "x-system": env.FOLLOWUPBOSS_SYSTEM,
  };
  if (opts.systemKey !== null) h["x-system-key"] = opts.systemKey ?? env.FOLLOWUPBOSS_SYSTEM_KEY;
  return h;
}

export function fub(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  return sb(`/followupboss${path}`, {
    method: init.method ?? "GET",
    headers: init.headers ?? fubHeaders(),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
