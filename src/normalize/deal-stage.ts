/**
 * The deal lifecycle and listing statuses normalization maps onto are the canonical model's (one
 * definition, in src/canonical): lead → active → showing → offer → under_contract → closed, or
 * cancelled / archived; listing statuses are RESO `StandardStatus`.
 */
export { DealStage, ListingStatus } from "../canonical/primitives";
