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

/** The declared fields a FUB deal (as `GET /v1/deals/:id` answers) holds. */
export function fubDealFields(fields: FieldsConfig, deal: Readonly<Record<string, unknown>>) {
  return readFields(fields, (d) => (d.followupboss?.deal ? deal[d.followupboss.deal] : undefined));
}

/** The `PUT /v1/deals/:id` keys that write these values (fields not mapped to FUB deals are left out). */
export function fubDealBody(fields: FieldsConfig, values: CustomValues): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    const decl = fields[name];
    const key = decl?.followupboss?.deal;
    if (decl && key) out[key] = fubValue(decl, value);
  }
  return out;
}

/** Whether any declared field lives on the Follow Up Boss person rather than the deal. */
export function hasPersonFields(fields: FieldsConfig): boolean {
  return Object.values(fields).some((d) => d.followupboss?.person);
}

/** The declared fields a FUB person (as `GET /v1/people/:id?fields=allFields` answers) holds. */
export function fubPersonFields(fields: FieldsConfig, person: Readonly<Record<string, unknown>>) {
  return readFields(fields, (d) => (d.followupboss?.person ? person[d.followupboss.person] : undefined));
}

/** The `PUT /v1/people/:id` keys that write these values (fields not mapped to FUB people are left out). */
export function fubPersonBody(fields: FieldsConfig, values: CustomValues): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    const decl = fields[name];
    const key = decl?.followupboss?.person;
    if (decl && key && !decl.followupboss?.deal) out[key] = fubValue(decl, value);
  }
  return out;
}
