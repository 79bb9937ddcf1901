/**
 * The brokerage's own fields between a vendor's value and the canonical one: each field's
 * transform (phone, money, date in a time zone, email, enum table) and its declared type. Pure; the
 * vendors' folders say where a field sits in their records and how they write it.
 */
import { checkValue, transformOf, type FieldDecl, type FieldsConfig, type FieldValue } from "../config/fields";
import { normalizeEmail, normalizePhone, parseDate, parseMoney, usNumber } from "../normalize";

export type CustomValues = Record<string, FieldValue>;

/** A vendor value that did not become a canonical one (left out of the record, shown to ops). */
export interface FieldIssue {
  field: string;
  code: "field_invalid";
  message: string;
}

type Read = { ok: true; value: FieldValue | undefined } | { ok: false; message: string };

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * The one of `names` that `text` means: written exactly, then in another case, then by its
 * letters and digits alone where only one name has them ("A+", "A" and "A-" stay three values).
 */
function named(names: readonly string[], text: string): string | undefined {
  const loose = names.filter((n) => squash(n) === squash(text));
  return names.find((n) => n === text) ?? names.find((n) => n.toLowerCase() === text.toLowerCase()) ?? (loose[1] ? undefined : loose[0]);
}

/** The calendar date of an instant in a time zone (`2026-12-15T02:00:00Z` in Chicago is the 14th). */
function dateIn(instant: string, zone: string | undefined): string {
  if (!zone) return instant.slice(0, 10);
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(
    new Date(instant),
  );
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

function transformed(decl: FieldDecl, raw: string | number | boolean): Read {
  const t = transformOf(decl);
  const text = typeof raw === "string" ? raw.trim() : String(raw);
  if (typeof t === "object") {
    const direct = named(decl.values ?? [], text);
    if (direct) return { ok: true, value: direct };
    const hit = named(Object.keys(t.enum), text);
    return hit ? { ok: true, value: t.enum[hit] } : { ok: false, message: `"${text}" is in neither the values nor the enum table` };
  }
  switch (t) {
    case "money": {
      const r = typeof raw === "boolean" ? null : parseMoney(raw);
      return r?.ok ? { ok: true, value: r.value } : { ok: false, message: r ? r.message : "not an amount" };
    }
    case "date": {
      const r = typeof raw === "boolean" ? null : parseDate(raw);
      if (!r?.ok) return { ok: false, message: r ? r.message : "not a date" };
      return { ok: true, value: r.value.length === 10 ? r.value : dateIn(r.value, decl.timeZone) };
    }
    case "phone": {
      const r = normalizePhone(text);
      // An extension stays, written after the number as a tel: URI does (RFC 3966).
      return r.ok
        ? { ok: true, value: r.ext ? `${r.e164};ext=${r.ext}` : r.e164 }
        : { ok: false, message: `not a phone number (${r.code})` };
    }
    case "email": {
      const r = normalizeEmail(text);
      return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.message };
    }
    case "none":
      break;
  }
  switch (decl.type) {
    case "number": {
      const n = typeof raw === "number" ? raw : (usNumber(text) ?? Number.NaN);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `"${text}" is not a number` };
    }
    case "boolean": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      const word = squash(text);
      if (["true", "yes", "y", "1", "on"].includes(word)) return { ok: true, value: true };
      if (["false", "no", "n", "0", "off"].includes(word)) return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not yes or no` };
    }
    case "enum": {
      const v = named(decl.values ?? [], text);
      return v ? { ok: true, value: v } : { ok: false, message: `"${text}" is not one of the field's values` };
    }
    default:
      return { ok: true, value: text };
  }
}

/**
 * A vendor's value of one field as the canonical record holds it: absent (null, empty) is
 * `undefined`; a value the transform cannot read, or that does not fit the declared type, fails.
 */
export function fromVendor(decl: FieldDecl, raw: unknown): Read {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) return { ok: true, value: undefined };
  if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean")
    return { ok: false, message: `a ${Array.isArray(raw) ? "list" : typeof raw} where a single value belongs` };
  const r = transformed(decl, raw);
  if (!r.ok || r.value === undefined) return r;
  const bad = checkValue(decl, r.value);
  return bad ? { ok: false, message: bad } : r;
}

/**
 * Reads every declared field one system holds: `at(decl)` returns the vendor's raw value, or
 * `undefined` when the field does not live in that system. Invalid values are left out and listed.
 */
export function readFields(fields: FieldsConfig, at: (decl: FieldDecl) => unknown): { values: CustomValues; issues: FieldIssue[] } {
  const values: CustomValues = {};
  const issues: FieldIssue[] = [];
  for (const [name, decl] of Object.entries(fields)) {
    const raw = at(decl);
    const r = fromVendor(decl, raw);
    if (!r.ok) issues.push({ field: name, code: "field_invalid", message: `${decl.label ?? name}: ${r.message}` });
    else if (r.value !== undefined) values[name] = r.value;
  }
  return { values, issues };
}

/**
 * The values a record the hub creates carries: the source's, else each field's default. Required
 * fields with neither are listed by label, so the flow halts naming them; one whose value the
 * source holds but could not be read (`unreadable`, by name) says so, since the agent sees a value.
 */
export function forCreate(
  fields: FieldsConfig,
  values: CustomValues,
  unreadable: ReadonlySet<string> = new Set(),
): { values: CustomValues; missing: string[] } {
  const out: CustomValues = {};
  const missing: string[] = [];
  for (const [name, decl] of Object.entries(fields)) {
    const v = values[name] ?? decl.default;
    if (v !== undefined) out[name] = v;
    else if (decl.required)
      missing.push(unreadable.has(name) ? `${decl.label ?? name} (its value could not be read as ${decl.type})` : (decl.label ?? name));
  }
  return { values: out, missing };
}

/** The golden record's key for a field (beside `stage`, `price`), so its provenance is kept per field. */
export const goldenKey = (name: string): string => `custom.${name}`;

/** The field-ownership policy with each field's declared owner added under its golden key. */
export function ownershipWith(ownership: Readonly<Record<string, string>>, fields: FieldsConfig): Record<string, string> {
  const out: Record<string, string> = { ...ownership };
  for (const [name, decl] of Object.entries(fields)) if (decl.owner) out[goldenKey(name)] = decl.owner;
  return out;
}

/**
 * The changed fields that may be written to `target`: not those it owns. A value from another
 * system wins an owned field only while the record holds none of the owner's (a deal from before
 * the field was declared); written to the owner, it would replace the owner's own value for good.
 */
export function writableTo(changed: readonly string[], ownership: Readonly<Record<string, string>>, target: string | undefined): string[] {
  return changed.filter((k) => !target || ownership[k] !== target);
}

/** Custom values as golden-record fields (`custom.<name>`), for mergeFields. */
export function asGolden(values: CustomValues): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [goldenKey(k), v]));
}

/** The custom values a golden record holds. */
export function fromGolden(fields: Readonly<Record<string, { value: unknown }>>): CustomValues {
  const out: CustomValues = {};
  for (const [k, p] of Object.entries(fields)) {
    if (!k.startsWith("custom.")) continue;
    const v = p.value;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k.slice(7)] = v;
  }
  return out;
}

/**
 * The values to write for the fields a change names: the golden record's as it is now where it
 * holds one. A late copy of the change (a retry, a replayed dead letter) then writes what the
 * record holds, never its older values over a newer change.
 */
export function currentValues(named: CustomValues, golden: CustomValues): CustomValues {
  return Object.fromEntries(Object.entries(named).map(([k, v]) => [k, golden[k] ?? v]));
}

/** Dollars from cents without float noise: 450000 → "4500", 450050 → "4500.50". */
export function dollarText(cents: number): string {
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}
