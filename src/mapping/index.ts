/**
 * Mapping: per-source field maps (data) applied by one generic mapper, with drift detection.
 * The ingest consumer calls `mapDelivery`; the adapters call the resource mappers after a fetch.
 */
export { SourceName } from "../canonical";
export { mapDelivery } from "./map-delivery";
export {
  mapDotloopContact,
  mapDotloopLoop,
  mapFollowUpBossDeal,
  mapFollowUpBossEvent,
  mapFollowUpBossPerson,
  mapSkySlopeFile,
  mapSkySlopeListing,
  mapSkySlopeSale,
} from "./resources";
export { maskSample } from "./mask";
export { DriftKind, DriftRecord } from "./types";
export type { FieldMap, FieldRule, MapContext, MapErrorCode, MapIssue, MapOutcome } from "./types";
export { SOURCES } from "./sources";
