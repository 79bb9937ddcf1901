/**
 * The brokerage's fields in SkySlope: keys of a file's `customFields` object (see
 * custom-field-keys.ts for which), as strings.
 */
import type { FieldsConfig } from "../../config/fields";
import { dollarText, readFields, type CustomValues } from "../../mapping/custom-fields";

/** The declared fields a sale's `customFields` hold. */
export function saleFields(fields: FieldsConfig, customFields: Readonly<Record<string, unknown>> | null | undefined) {
  return readFields(fields, (d) => (d.skyslope ? customFields?.[d.skyslope.field] : undefined));
}

/** The `customFields` entries that write these values. */
export function saleCustomFields(fields: FieldsConfig, values: CustomValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const decl = fields[name];
    if (!decl?.skyslope) continue;
    out[decl.skyslope.field] =
      decl.type === "money" && typeof value === "number"
        ? dollarText(value)
        : typeof value === "boolean"
          ? value
            ? "Yes"
            : "No"
          : String(value);
  }
  return out;
}
