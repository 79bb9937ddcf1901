/**
 * The brokerage's fields on a QuickBooks sales form: one of the company's (at most three) string
 * custom fields by name, the private memo, the class, or the line description.
 */
import type { FieldsConfig } from "../../config/fields";
import { dollarText, type CustomValues } from "../../mapping/custom-fields";

export interface DocumentFields {
  /** By the custom field's name in QuickBooks; the adapter finds its definition id. */
  customFields: Array<{ name: string; value: string }>;
  memo?: string;
  classId?: string;
  description?: string;
}

function text(type: string, value: string | number | boolean): string {
  if (type === "money" && typeof value === "number") return dollarText(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return String(value);
}

/** Where each value goes on the document; several fields in the memo or description are joined by label. */
export function documentFields(fields: FieldsConfig, values: CustomValues): DocumentFields {
  const out: DocumentFields = { customFields: [] };
  const memo: string[] = [];
  const description: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const decl = fields[name];
    const qb = decl?.quickbooks;
    if (!decl || !qb) continue;
    const t = text(decl.type, value);
    if (qb.customField !== undefined) out.customFields.push({ name: qb.customField, value: t.slice(0, 100) });
    else if (qb.memo) memo.push(`${decl.label ?? name}: ${t}`);
    else if (qb.description) description.push(`${decl.label ?? name}: ${t}`);
    else if (qb.class) out.classId = t;
  }
  if (memo.length) out.memo = memo.join("; ");
  if (description.length) out.description = description.join("; ");
  return out;
}
