import type { PostalAddress } from "./postal-address";

/**
 * The delivery line of an address in USPS order: "123 N Main St Apt 4", "PO Box 18".
 * City, state and ZIP are left to the caller (most vendors keep them in their own fields).
 */
export function formatAddressLine(a: PostalAddress): string {
  const unit = a.unitType === undefined ? a.unitId : a.unitId === undefined ? a.unitType : `${a.unitType} ${a.unitId}`;
  return [a.number, a.predirectional, a.street, a.suffix, a.postdirectional, unit]
    .filter((p): p is string => p !== undefined && p !== "")
    .join(" ");
}
