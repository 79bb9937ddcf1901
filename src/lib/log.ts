/**
 * Structured logs: one object per call, so Workers Logs indexes every field (`wrangler tail
 * --format json` shows it as the line's message).
 * Only scalar, non-PII fields belong here: ids, codes, counts, durations. Bodies, signatures,
 * secrets, emails and phones never do — callers pass ids, and `redact` guards the common slips.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const SENSITIVE = /(secret|token|password|signature|authorization|email|phone|body|payload)/i;

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = SENSITIVE.test(k) ? "[redacted]" : v;
  }
  return out;
}

/** A caught error's message for a log line: bounded, and "unknown" for a throw of a non-Error. */
export function errorDetail(err: unknown, max = 200): string {
  return err instanceof Error ? err.message.slice(0, max) : "unknown";
}

export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  const line = { level, msg, time: new Date().toISOString(), ...redact(fields) };
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
