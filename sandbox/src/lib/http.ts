/** Request-reading helpers shared by the simulated vendors. */

export type JsonRead = { ok: true; value: unknown } | { ok: false };

/** Parses a JSON body; an empty body reads as `{}`. */
export async function readJson(req: Request): Promise<JsonRead> {
  const text = await req.text();
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A plain JSON object, or null. */
export function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A finite number (numeric strings included), or undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * OAuth parameters: form-encoded body merged over query parameters (clients send either).
 * JSON bodies are accepted too, as some clients send them.
 */
export async function readParams(req: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(req.url).searchParams) out[k] = v;
  const type = req.headers.get("content-type") ?? "";
  const text = new TextDecoder().decode(await req.arrayBuffer());
  if (text.trim() === "") return out;
  if (type.includes("application/json")) {
    const obj = asObject(safeParse(text));
    for (const [k, v] of Object.entries(obj ?? {})) if (typeof v === "string" || typeof v === "number") out[k] = String(v);
    return out;
  }
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Decodes `Authorization: Basic ...` into user and password; null when absent or malformed. */
export function basicAuth(header: string | null): { user: string; password: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(header ?? "");
  if (!m?.[1]) return null;
  try {
    const decoded = atob(m[1].trim());
    const i = decoded.indexOf(":");
    return i < 0 ? { user: decoded, password: "" } : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
  } catch {
    return null;
  }
}

/** The token of `Authorization: Bearer ...`, or null. */
export function bearer(header: string | null): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return m?.[1] ?? null;
}

/** A JSON response with the given status and extra headers. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
