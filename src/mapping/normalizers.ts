/**
 * The named normalizers a field rule can apply. Each takes the raw JSON value and returns the
 * canonical form, "nothing" (`value: undefined`, e.g. an empty string or a vendor's placeholder
 * date), or a failure code that the mapper records as an issue while dropping the value.
 */
import { mapStatus, normalizeEmail, normalizeName, normalizePhone, parseDate, parseMoney, splitFullName, usNumber } from "../normalize";
import { isObject } from "./path";
import type { FieldMap, FieldRule, JsonType } from "./types";
import { parseVendorEvent } from "./vendor-events";

export type NormOut = { ok: true; value: unknown } | { ok: false; code: string; detail: string };

const ok = (value: unknown): NormOut => ({ ok: true, value });
const fail = (code: string, detail: string): NormOut => ({ ok: false, code, detail });
const NOTHING = ok(undefined);

/** A scalar as trimmed text; undefined for empty strings and non-scalars. */
export function text(raw: unknown): string | undefined {
  if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== "string") return undefined;
  const t = raw.trim();
  return t === "" ? undefined : t;
}

/** A number, or text of one as US vendors write it ("1,250", "2.5%"); "2,5" is refused, not read as 25. */
function numeric(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  const t = text(raw);
  return t === undefined ? undefined : usNumber(t.replace(/\s*%$/, ""));
}

/**
 * A vendor timestamp as a UTC instant: epoch seconds or milliseconds, or any date `parseDate`
 * reads (ISO with `Z`, `±hh:mm`, `±hhmm` or no zone, meaning UTC). Its calendar check refuses a
 * day that does not exist rather than reading the next month's.
 */
function instant(raw: unknown): NormOut {
  if (typeof raw === "number") return epoch(raw > 1e11 ? raw : raw * 1000);
  const t = text(raw);
  if (t === undefined || t.startsWith("0001-")) return NOTHING; // .NET's DateTime.MinValue: SkySlope's "no date"
  const r = parseDate(t);
  return r.ok ? epoch(Date.parse(r.value)) : fail("instant_invalid", r.code);
}

function epoch(ms: number): NormOut {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? fail("instant_invalid", "out of range") : ok(d.toISOString());
}

function isHttpUrl(t: string): boolean {
  try {
    return /^https?:$/.test(new URL(t).protocol);
  } catch {
    return false;
  }
}

function email(raw: unknown): NormOut {
  const t = text(raw);
  if (t === undefined) return NOTHING;
  const r = normalizeEmail(t);
  return r.ok ? ok(r.value) : fail("email_invalid", r.code);
}

function lookup(map: FieldMap, table: string, raw: unknown): NormOut {
  const t = text(raw);
  if (t === undefined) return NOTHING;
  const tab = map.tables?.[table] ?? {};
  const key = Object.keys(tab).find((k) => k === t) ?? Object.keys(tab).find((k) => k.toLowerCase() === t.toLowerCase());
  const hit = key !== undefined ? tab[key] : tab["*"];
  return hit !== undefined ? ok(hit) : fail(`${table}_unmapped`, `no ${table} for this value`);
}

type Fn = (raw: unknown, rule: FieldRule, map: FieldMap) => NormOut;

const FIXED: Readonly<Record<string, Fn>> = {
  // Free text is capped, not rejected: a long message must not cost the lead.
  string: (raw) => ok(text(raw)?.slice(0, 10_000)),
  lower: (raw) => ok(text(raw)?.toLowerCase()),
  id: (raw) => ok(text(raw)),
  ids: (raw) => {
    const list = (Array.isArray(raw) ? raw : [raw]).map(text).filter((x): x is string => x !== undefined);
    return list.length > 0 ? ok(list) : NOTHING;
  },
  int: (raw) => {
    const n = numeric(raw);
    if (n === undefined && text(raw) === undefined) return NOTHING;
    return n !== undefined && Number.isInteger(n) ? ok(n) : fail("int_invalid", "not a whole number");
  },
  number: (raw) => {
    const n = numeric(raw);
    if (n === undefined && text(raw) === undefined) return NOTHING;
    return n !== undefined ? ok(n) : fail("number_invalid", "not a number");
  },
  percent: (raw) => {
    const n = numeric(raw);
    if (n === undefined && text(raw) === undefined) return NOTHING;
    return n !== undefined && n >= 0 && n <= 100 ? ok(n) : fail("percent_invalid", "not a percent");
  },
  bool: (raw) => {
    if (typeof raw === "boolean") return ok(raw);
    const t = text(raw)?.toLowerCase();
    if (t === undefined) return NOTHING;
    // "on": what an HTML checkbox posts when ticked (a site's own forms).
    if (["true", "yes", "y", "1", "on"].includes(t)) return ok(true);
    if (["false", "no", "n", "0", "off"].includes(t)) return ok(false);
    return fail("bool_invalid", "not a yes/no value");
  },
  tags: (raw) => ok((Array.isArray(raw) ? raw : [raw]).map(text).filter((x): x is string => x !== undefined)),
  url: (raw) => {
    const t = text(raw);
    if (t === undefined) return NOTHING;
    return isHttpUrl(t) ? ok(t) : fail("url_invalid", "not an http(s) URL");
  },
  email: (raw) => email(raw),
  emailEntry: (raw, rule) => {
    const r = email(raw);
    if (!r.ok || r.value === undefined) return r;
    return ok({ value: r.value, ...(rule.entryType ? { type: rule.entryType } : {}) });
  },
  phone: (raw, rule) => {
    const t = text(raw);
    if (t === undefined) return NOTHING;
    const r = normalizePhone(t, "US");
    if (!r.ok) return fail("phone_invalid", r.code);
    return ok({ value: r.e164, ...(r.ext ? { ext: r.ext } : {}), ...(rule.entryType ? { type: rule.entryType } : {}) });
  },
  name: (raw) => {
    const t = text(raw);
    return ok(t === undefined ? undefined : normalizeName(t) || undefined);
  },
  fullName: (raw) => {
    const t = text(raw);
    if (t === undefined) return NOTHING;
    const parts = Object.fromEntries(Object.entries(splitFullName(t)).filter(([, v]) => typeof v === "string" && v !== ""));
    return Object.keys(parts).length > 0 ? ok(parts) : fail("name_invalid", "no name parts found");
  },
  money: (raw) => {
    if (typeof raw !== "number" && text(raw) === undefined) return NOTHING;
    const r = parseMoney(typeof raw === "number" ? raw : (text(raw) ?? ""));
    return r.ok ? ok(r.value) : fail("money_invalid", r.code);
  },
  date: (raw) => {
    if (typeof raw !== "number" && text(raw) === undefined) return NOTHING;
    if (typeof raw === "string" && raw.startsWith("0001-01-01")) return NOTHING;
    const r = parseDate(typeof raw === "number" ? raw : (text(raw) ?? ""));
    return r.ok ? ok(r.value) : fail("date_invalid", r.code);
  },
  instant: (raw) => instant(raw),
  epochMs: (raw) => (typeof raw === "number" ? epoch(raw) : instant(raw)),
  nameValuePairs: (raw) => {
    if (!Array.isArray(raw)) return NOTHING;
    const out: Record<string, string> = {};
    for (const el of raw) {
      const k = isObject(el) ? text(el.name) : undefined;
      const v = isObject(el) ? text(el.value) : undefined;
      if (k !== undefined && v !== undefined) out[k] = v;
    }
    return ok(out);
  },
};

/** Applies the rule's normalizer to one raw value. */
export function normalize(raw: unknown, rule: FieldRule, map: FieldMap): NormOut {
  const name = rule.norm ?? "string";
  const [kind, arg = ""] = name.split(/:(.*)/s) as [string, string?];
  if (kind === "addressPart") return ok(text(raw));
  if (kind === "lookup") return lookup(map, arg, raw);
  if (kind === "status") {
    const t = text(raw);
    if (t === undefined) return NOTHING;
    const r = mapStatus(arg, t);
    return r.ok ? ok(r.value) : fail("status_unmapped", r.code);
  }
  if (kind === "vendorEvent") {
    const t = text(raw);
    if (t === undefined) return NOTHING;
    const r = parseVendorEvent(arg, t);
    return r ? ok(r) : fail("event_unrecognised", `not a known ${arg} event name`);
  }
  const fn = FIXED[kind];
  return fn ? fn(raw, rule, map) : fail("normalizer_unknown", name);
}

/** The JSON type a normalizer expects when the rule does not say. */
export function expectedType(rule: FieldRule): JsonType {
  if (rule.type) return rule.type;
  if (rule.items) return rule.single ? "object" : "array";
  const kind = (rule.norm ?? "string").split(":")[0];
  switch (kind) {
    case "ids":
    case "tags":
    case "nameValuePairs":
      return "array";
    case "int":
    case "number":
    case "percent":
    case "epochMs":
      return "number";
    case "bool":
      return "boolean";
    case "id":
    case "money":
      return "scalar";
    default:
      return "string";
  }
}
