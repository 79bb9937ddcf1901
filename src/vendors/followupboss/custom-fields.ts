/**
 * The brokerage's fields in Follow Up Boss: deal and person custom fields (`customEarnestMoney`),
 * which FUB types as text, number, date (`YYYY-MM-DD`) or dropdown.
 */
import type { FieldDecl, FieldsConfig, FieldValue } from "../../config/fields";
import { readFields, type CustomValues } from "../../mapping/custom-fields";

/** A canonical value as FUB's custom field takes it: money in dollars, booleans as Yes/No. */
export function fubValue(decl: FieldDecl, value: FieldValue): string | number {
  if (decl.type === "money" && typeof value === "number") return value / 100;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return value;
}

/** Where a declared field lives in Follow Up Boss: a deal's or a person's custom field. */
export type FubObject = "deal" | "person";

/**
 * The declared fields a FUB deal (`GET /v1/deals/:id`) or person (`GET /v1/people/:id?fields=allFields`)
 * holds, by the custom field each names on that object.
 */
export function fubFields(fields: FieldsConfig, object: FubObject, record: Readonly<Record<string, unknown>>) {
  return readFields(fields, (d) => {
    const key = d.followupboss?.[object];
    return key ? record[key] : undefined;
  });
}

/**
 * The `PUT /v1/deals/:id` or `PUT /v1/people/:id` keys that write these values. A field declared on
 * both is written to the deal only (the deal is what it is read from).
 */
export function fubBody(fields: FieldsConfig, object: FubObject, values: CustomValues): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    const decl = fields[name];
    const key = decl?.followupboss?.[object];
    if (decl && key && (object === "deal" || !decl.followupboss?.deal)) out[key] = fubValue(decl, value);
  }
  return out;
}

/** Whether any declared field lives on the Follow Up Boss person rather than the deal. */
export function hasPersonFields(fields: FieldsConfig): boolean {
  return Object.values(fields).some((d) => d.followupboss?.person);
}
