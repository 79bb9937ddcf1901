/**
 * PII-masked samples for drift records and issues: enough shape for ops to see what changed
 * (`a***@x.com`, `###-##00`, `object{street,city}`), never the person's data itself.
 */
const MAX = 60;

function truncate(s: string): string {
  return s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s;
}

function maskDigits(s: string): string {
  const total = (s.match(/\d/g) ?? []).length;
  let seen = 0;
  return s.replace(/\d/g, (d) => (++seen > total - 2 ? d : "#"));
}

function maskString(s: string): string {
  const email = /^([^@\s]+)@([^@\s]+)$/.exec(s.trim());
  if (email) return `${email[1]?.[0] ?? ""}***@${email[2]}`;
  const digits = (s.match(/\d/g) ?? []).length;
  if (digits >= 7) return maskDigits(s.replace(/[A-Za-z]/g, "*"));
  // Prices, counts and codes carry no letters and are not personal data.
  if (!/[A-Za-z]/.test(s)) return s;
  return `${s.trim()[0] ?? ""}***`;
}

/** A short masked rendering of any JSON value. */
export function maskSample(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    const s = String(value);
    return truncate(Math.abs(value) >= 1_000_000 && Number.isInteger(value) ? maskDigits(s) : s);
  }
  if (typeof value === "string") return truncate(maskString(value));
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === "object") return truncate(`object{${Object.keys(value).join(",")}}`);
  return typeof value;
}

/** The JSON type name of a value, as drift records report it. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
