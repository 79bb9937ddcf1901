import { z } from "zod";

/**
 * The hub's deal lifecycle. Every vendor status maps onto one of these (see `mapStatus`):
 * lead (a contact, not yet working with an agent) → active (an engaged client or a listing being
 * prepared or on market) → showing (touring homes) → offer (an offer being written or
 * negotiated) → under_contract (accepted, not closed) → closed (sold or leased); cancelled
 * (fell through, withdrawn, expired) and archived (no longer tracked) end a deal otherwise.
 */
export const DealStage = z.enum(["lead", "active", "showing", "offer", "under_contract", "closed", "cancelled", "archived"]);
export type DealStage = z.infer<typeof DealStage>;

/** RESO Data Dictionary 2.0 `StandardStatus`, all 11 values. */
export const ListingStatus = z.enum([
  "Active",
  "ActiveUnderContract",
  "Canceled",
  "Closed",
  "ComingSoon",
  "Delete",
  "Expired",
  "Hold",
  "Incomplete",
  "Pending",
  "Withdrawn",
]);
export type ListingStatus = z.infer<typeof ListingStatus>;
