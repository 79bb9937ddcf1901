/**
 * The brokerage's own fields: what each is (a declared type), where it lives in each system, how a
 * vendor's value becomes the canonical one (a transform from the normalizer library), its default
 * on created records, whether it is required, and which system owns it. Validated at start with
 * the rest of the configuration; every problem names the field.
 */
import * as z from "../lib/zod";
import { CustomValue, MAX_CUSTOM_TEXT } from "../canonical/deal";
import { DOTLOOP_DETAIL_FIELDS } from "./dotloop-detail-fields";
import { SKYSLOPE_CUSTOM_FIELDS } from "./skyslope-field-keys";

export const FieldType = z.enum(["text", "number", "money", "date", "phone", "email", "enum", "boolean"]);
export type FieldType = z.infer<typeof FieldType>;

/** A field's value in the canonical model: money in cents, dates `YYYY-MM-DD`, phones E.164 (`;ext=` an extension). */
export const FieldValue = CustomValue;
export type FieldValue = CustomValue;

/** Normalizers a field may name; `{ enum: {...} }` maps vendor words onto the declared values. */
export const Transform = z.union([
  z.enum(["none", "phone", "money", "date", "email"]),
  z.strictObject({ enum: z.record(z.string(), z.string()) }),
]);
export type Transform = z.infer<typeof Transform>;

/** Follow Up Boss custom field names are `custom` + the label in CamelCase (`customEarnestMoney`). */
const FubCustomName = z
  .string()
  .check(z.regex(/^custom[A-Z0-9][A-Za-z0-9]*$/, "a Follow Up Boss custom field name looks like customEarnestMoney"));

export const FieldLocations = z.object({
  followupboss: z.optional(z.strictObject({ deal: z.optional(FubCustomName), person: z.optional(FubCustomName) })),
  dotloop: z.optional(z.strictObject({ section: z.string().check(z.minLength(1)), field: z.string().check(z.minLength(1)) })),
  skyslope: z.optional(z.strictObject({ field: z.string().check(z.minLength(1), z.maxLength(100)) })),
  /** One of: a sales-form custom field (by its name in QuickBooks), the memo, the class id, the line description. */
  quickbooks: z.optional(
    z.strictObject({
      customField: z.optional(z.string().check(z.minLength(1), z.maxLength(31))),
      memo: z.optional(z.literal(true)),
      class: z.optional(z.literal(true)),
      description: z.optional(z.literal(true)),
    }),
  ),
});

export const FieldDecl = z.strictObject(
  z.extend(FieldLocations, {
    type: FieldType,
    /** What people call it (the audit and the README show this); the key is the canonical name. */
    label: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    /** For `enum`: the values the canonical record may hold. */
    values: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.minLength(1))),
    /** Vendor value → canonical value; absent: the normalizer of the declared type. */
    transform: z.optional(Transform),
    /** For `date`: the zone a vendor's instant is read in to give the calendar date (IANA name). */
    timeZone: z.optional(z.string().check(z.minLength(1))),
    /** Written on records the hub creates when the source has no value. */
    default: z.optional(FieldValue),
    /** A created record without a value (and no default) halts with the field named. */
    required: z._default(z.boolean(), false),
    /** The one system whose changes the field takes (the field-ownership policy); absent: latest change wins. */
    owner: z.optional(z.enum(["followupboss", "liondesk", "dotloop", "skyslope", "quickbooks"])),
  }).shape,
);
export type FieldDecl = z.infer<typeof FieldDecl>;

/** Canonical names are plain identifiers, so they sit in JSON Schema and golden keys unescaped. */
export const FieldName = z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,62}$/, "field names are camelCase identifiers (earnestMoney)"));

export const FieldsConfig = z._default(z.record(FieldName, FieldDecl), {});
export type FieldsConfig = z.infer<typeof FieldsConfig>;

/** The transform a field's values go through when none is named. */
export function transformOf(decl: FieldDecl): Transform {
  if (decl.transform) return decl.transform;
  switch (decl.type) {
    case "phone":
    case "money":
    case "date":
    case "email":
      return decl.type;
    default:
      return "none";
  }
}

const TRANSFORM_TYPES: Record<Exclude<Transform, object>, readonly FieldType[]> = {
  none: ["text", "number", "enum", "boolean"],
  phone: ["phone"],
  money: ["money"],
  date: ["date"],
  email: ["email"],
};

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether a canonical value fits a field's declared type; the message says why not. */
export function checkValue(decl: FieldDecl, value: FieldValue): string | null {
  switch (decl.type) {
    case "text":
      // Checked here, where the value is left out and raised as drift: past the canonical deal's
      // limit, every event carrying it would be refused as malformed.
      if (typeof value !== "string") return `expected text, got ${typeof value}`;
      return value.length > MAX_CUSTOM_TEXT ? `text longer than ${MAX_CUSTOM_TEXT} characters` : null;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : `expected a number, got ${JSON.stringify(value)}`;
    case "money":
      return typeof value === "number" && Number.isInteger(value) && value >= 0
        ? null
        : `expected integer cents, got ${JSON.stringify(value)}`;
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? null
        : `expected a YYYY-MM-DD date, got ${JSON.stringify(value)}`;
    case "phone":
      return typeof value === "string" && /^\+[1-9]\d{6,14}(;ext=\d+)?$/.test(value) ? null : "expected an E.164 phone";
    case "email":
      return typeof value === "string" && /^[^\s@A-Z]+@[^\s@A-Z]+\.[^\s@A-Z]+$/.test(value) ? null : "expected a lower-case email";
    case "enum":
      return typeof value === "string" && (decl.values ?? []).includes(value)
        ? null
        : `${JSON.stringify(value)} is not one of ${(decl.values ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
    case "boolean":
      return typeof value === "boolean" ? null : `expected true or false, got ${JSON.stringify(value)}`;
  }
}

/**
 * The checks one field's declaration needs beyond its shape: an enum's values and table, a
 * transform that can produce the type, a default of the type, a real Dotloop label, a time zone
 * that exists, and at least one system to live in.
 */
export function fieldProblems(decl: FieldDecl): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  if (decl.type === "enum" && !decl.values) out.push({ path: ["values"], message: "an enum field lists its values" });
  if (decl.type !== "enum" && decl.values)
    out.push({ path: ["values"], message: `only enum fields list values (this one is ${decl.type})` });
  const t = transformOf(decl);
  if (typeof t === "object") {
    if (decl.type !== "enum") out.push({ path: ["transform"], message: `an enum table cannot produce a ${decl.type} value` });
    for (const [from, to] of Object.entries(t.enum)) {
      if (!(decl.values ?? []).includes(to))
        out.push({ path: ["transform", "enum", from], message: `maps to "${to}", which is not one of the field's values` });
    }
  } else if (!TRANSFORM_TYPES[t].includes(decl.type)) {
    out.push({ path: ["transform"], message: `the ${t} transform cannot produce a ${decl.type} value` });
  }
  if (decl.timeZone !== undefined && !validZone(decl.timeZone))
    out.push({ path: ["timeZone"], message: `"${decl.timeZone}" is not a time zone` });
  if (decl.timeZone !== undefined && decl.type !== "date") out.push({ path: ["timeZone"], message: "only date fields take a time zone" });
  if (decl.default !== undefined) {
    const bad = checkValue(decl, decl.default);
    if (bad) out.push({ path: ["default"], message: `default ${bad}` });
  }
  const dl = decl.dotloop;
  if (dl) {
    const labels = DOTLOOP_DETAIL_FIELDS[dl.section];
    if (!labels)
      out.push({
        path: ["dotloop", "section"],
        message: `"${dl.section}" is not a Dotloop loop-detail section (${Object.keys(DOTLOOP_DETAIL_FIELDS).join(", ")})`,
      });
    else if (!labels.includes(dl.field))
      out.push({ path: ["dotloop", "field"], message: `Dotloop's "${dl.section}" section has no field "${dl.field}"` });
  }
  if (decl.skyslope && !(SKYSLOPE_CUSTOM_FIELDS as readonly string[]).includes(decl.skyslope.field)) {
    out.push({
      path: ["skyslope", "field"],
      message: `SkySlope's customFields has no key "${decl.skyslope.field}" (${SKYSLOPE_CUSTOM_FIELDS.join(", ")})`,
    });
  }
  const qb = decl.quickbooks;
  if (qb) {
    const set = [qb.customField !== undefined, qb.memo, qb.class, qb.description].filter(Boolean).length;
    if (set !== 1) out.push({ path: ["quickbooks"], message: "name exactly one of customField, memo, class, description" });
    // The document's class is a class by its QuickBooks id: only a text or enum value can be one.
    if (qb.class && decl.type !== "text" && decl.type !== "enum")
      out.push({ path: ["quickbooks", "class"], message: `a class is named by its id: a ${decl.type} field cannot hold one` });
  }
  if (!decl.followupboss?.deal && !decl.followupboss?.person && !decl.dotloop && !decl.skyslope && !qb) {
    out.push({ path: [], message: "lives in no system: give at least one of followupboss, dotloop, skyslope, quickbooks" });
  }
  return out;
}

/**
 * Two fields written to one vendor field would overwrite each other: each place has one field,
 * but for QuickBooks' memo and line description, which join their fields by label.
 */
export function sharedPlaces(fields: FieldsConfig): Array<{ path: Array<string | number>; message: string }> {
  const seen = new Map<string, string>();
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  for (const [name, d] of Object.entries(fields)) {
    const places: Array<[string[], string]> = [];
    if (d.followupboss?.deal) places.push([["followupboss", "deal"], `followupboss deal ${d.followupboss.deal}`]);
    if (d.followupboss?.person) places.push([["followupboss", "person"], `followupboss person ${d.followupboss.person}`]);
    if (d.dotloop) places.push([["dotloop"], `dotloop ${d.dotloop.section} / ${d.dotloop.field}`]);
    if (d.skyslope) places.push([["skyslope"], `skyslope ${d.skyslope.field}`]);
    // The memo and the line description hold several fields, each under its label.
    const qb = d.quickbooks;
    if (qb?.customField !== undefined) places.push([["quickbooks"], `quickbooks customField ${qb.customField}`]);
    else if (qb?.class) places.push([["quickbooks"], "quickbooks class"]);
    for (const [path, key] of places) {
      const other = seen.get(key);
      if (other) out.push({ path: [name, ...path], message: `${key} is already the place of field "${other}"` });
      else seen.set(key, name);
    }
  }
  return out;
}

/** The JSON Schema of one field's canonical value, for `npm run schema`. */
export function fieldJsonSchema(decl: FieldDecl): Record<string, unknown> {
  const title = decl.label ? { title: decl.label } : {};
  switch (decl.type) {
    case "text":
      return { ...title, type: "string", maxLength: 4000 };
    case "number":
      return { ...title, type: "number" };
    case "money":
      return { ...title, type: "integer", minimum: 0, description: "Amount in integer cents (USD)" };
    case "date":
      return { ...title, type: "string", format: "date" };
    case "phone":
      return { ...title, type: "string", pattern: "^\\+[1-9]\\d{6,14}(;ext=\\d+)?$" };
    case "email":
      return { ...title, type: "string", format: "email" };
    case "enum":
      return { ...title, type: "string", enum: decl.values ?? [] };
    case "boolean":
      return { ...title, type: "boolean" };
  }
}

/** Every declared field's JSON Schema, by name. */
export function declaredFieldSchemas(fields: FieldsConfig): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(fields).map(([name, decl]) => [name, fieldJsonSchema(decl)]));
}
