/**
 * What no log line may carry: email addresses, phone numbers, bearer or refresh tokens, the
 * configured secrets, raw request or response bodies. Pure, so the rules are tested on their own
 * (log-leaks.test.ts) and applied to every line the hub writes during the workers tests
 * (log-scan.ts).
 */

export interface Leak {
  kind: "email" | "phone" | "token" | "secret" | "raw body";
  excerpt: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// E.164, a NANP number with separators, or ten bare digits with a valid area code and exchange
// (Unix seconds start with 1 and so never match; longer digit runs are ids, not phones).
const PHONES = [
  /\+[1-9]\d{9,14}(?!\d)/,
  /(?<![\w.])\(?[2-9]\d{2}\)?[ .-]\d{3}[ .-]\d{4}(?![\w])/,
  /(?<![\w.:+-])[2-9]\d{2}[2-9]\d{6}(?![\w])/,
];
const TOKENS = [/\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/i, /(?:access|refresh)[_-]?token["']?\s*[:=]\s*["']?[A-Za-z0-9._~+/-]{8,}/i];
// A fragment of serialised JSON inside a log field: a body (or a vendor's answer) pasted in.
const JSON_FRAGMENT = /\{\s*"|"\s*:\s*["{[\d]|\[\s*\{/;

/**
 * The secret values a line must never contain, from the bindings: every variable named like a
 * secret, with a Standard Webhooks secret also in its bare base64 form.
 */
export function secretValues(bindings: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(bindings)) {
    if (typeof value !== "string" || !/SECRET|TOKEN|PASSWORD|_KEY$/.test(name)) continue;
    for (const one of value.split(/[\s,]+/)) {
      if (one.length >= 6) out.push(one);
      if (one.startsWith("whsec_") && one.length > 12) out.push(one.slice(6));
    }
  }
  return out;
}

/** The leaks in one log line (a JSON object from src/lib/log.ts, or any other text). */
export function findLeaks(line: string, secrets: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  const hit = (kind: Leak["kind"], m: RegExpExecArray | string | null) => {
    if (m !== null) leaks.push({ kind, excerpt: (typeof m === "string" ? m : m[0]).slice(0, 80) });
  };
  hit("email", EMAIL.exec(line));
  for (const p of PHONES) hit("phone", p.exec(line));
  for (const p of TOKENS) hit("token", p.exec(line));
  for (const s of secrets) if (line.includes(s)) hit("secret", `${s.slice(0, 4)}…`);
  for (const value of stringFields(line)) hit("raw body", JSON_FRAGMENT.test(value) ? value : null);
  return leaks;
}

// The string values of a JSON log line; text that is not a JSON object has none to check.
function stringFields(line: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
  return Object.values(parsed).filter((v): v is string => typeof v === "string");
}
