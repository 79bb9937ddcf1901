/**
 * Pure normalizers: every value that enters the hub leaves here in one form (E.164 phones,
 * lowercase emails, USPS addresses, integer cents, ISO dates, internal deal stages).
 */
export type { Norm } from "./result";
export { PostalAddress } from "./postal-address";
export { DealStage, ListingStatus } from "./deal-stage";
export { normalizePhone, type PhoneResult } from "./phone";
export { normalizeEmail } from "./email";
export { normalizeName } from "./name";
export { splitFullName, type NameParts } from "./name-split";
export { parseAddress } from "./address-parse";
export { normalizeAddress, type AddressParts } from "./address-normalize";
export { formatAddressLine } from "./address-format";
export { parseMoney, usNumber } from "./money";
export { parseDate } from "./date";
export { mapStatus, STATUS_VENDORS } from "./status";
