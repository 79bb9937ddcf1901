/**
 * The brokerage's fields in Dotloop: labels of the loop-detail sections, whose values Dotloop keeps
 * as strings (`"5000"`, `"12/15/2026"`).
 */
import type { FieldDecl, FieldsConfig, FieldValue } from "../../config/fields";
import { dollarText, readFields, type CustomValues } from "../../mapping/custom-fields";

/** A canonical value as a loop detail string: dollars, MM/DD/YYYY dates, Yes/No. */
export function loopDetailValue(decl: FieldDecl, value: FieldValue): string {
  if (decl.type === "money" && typeof value === "number") return dollarText(value);
  if (decl.type === "date" && typeof value === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[2]}/${m[3]}/${m[1]}`;
  }
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return String(value);
}

/** The declared fields a loop's details hold. */
export function loopFields(fields: FieldsConfig, details: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>) {
  return readFields(fields, (d) => (d.dotloop ? details[d.dotloop.section]?.[d.dotloop.field] : undefined));
}

/** The detail sections that write these values (a PATCH merges them into the loop's). */
export function loopFieldDetails(fields: FieldsConfig, values: CustomValues): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, value] of Object.entries(values)) {
    const decl = fields[name];
    if (!decl?.dotloop) continue;
    (out[decl.dotloop.section] ??= {})[decl.dotloop.field] = loopDetailValue(decl, value);
  }
  return out;
}
