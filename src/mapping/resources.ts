/**
 * Mappers for vendor RESOURCES the consumers fetch after a thin webhook (or a poll). Same maps,
 * same mapper, same outcome shape as `mapDelivery`; `ctx.deliveryId` is the delivery (or poll)
 * that caused the fetch, so the resulting event ids stay deterministic.
 */
import { DOTLOOP_CONTACT, DOTLOOP_LOOP } from "./maps/dotloop";
import { FUB_DEAL, FUB_LEAD_EVENT, FUB_PERSON } from "./maps/followupboss";
import { SKYSLOPE_LISTING, SKYSLOPE_SALE } from "./maps/skyslope";
import { isObject } from "./path";
import { runMap } from "./run-map";
import type { MapContext, MapOutcome } from "./types";

/** Strips response wrappers (`{data: ...}`, `{value: {sale: ...}}`) when present. */
function unwrap(json: unknown, ...keys: string[]): unknown {
  let out = json;
  for (const k of keys) {
    if (isObject(out) && k in out && (isObject(out[k]) || Array.isArray(out[k]))) out = out[k];
  }
  return out;
}

/** `GET /v1/people/:id` → `person.upserted`. */
export function mapFollowUpBossPerson(json: unknown, ctx: MapContext): MapOutcome {
  return runMap(FUB_PERSON, json, ctx);
}

/** `GET /v1/deals/:id` → `deal.upserted` (people as references into FUB). */
export function mapFollowUpBossDeal(json: unknown, ctx: MapContext): MapOutcome {
  return runMap(FUB_DEAL, json, ctx);
}

/** A FUB lead event (`GET /v1/events/:id`, or a `POST /v1/events` body) → `lead.received`. */
export function mapFollowUpBossEvent(json: unknown, ctx: MapContext): MapOutcome {
  return runMap(FUB_LEAD_EVENT, json, ctx);
}

/**
 * A Dotloop loop with its details and participants (each as the API returns it, wrapped in
 * `{data}` or not) → `transaction.upserted`.
 */
export function mapDotloopLoop(loop: unknown, details: unknown, participants: unknown, ctx: MapContext): MapOutcome {
  const body = { loop: unwrap(loop, "data"), details: unwrap(details, "data") ?? {}, participants: unwrap(participants, "data") ?? [] };
  return runMap(DOTLOOP_LOOP, body, ctx);
}

/** `GET /contact/:id` → `person.upserted`. */
export function mapDotloopContact(json: unknown, ctx: MapContext): MapOutcome {
  return runMap(DOTLOOP_CONTACT, unwrap(json, "data"), ctx);
}

/** `GET /api/files/sales/:guid` (or a bulk-export sale) → `transaction.upserted`. */
export function mapSkySlopeSale(json: unknown, ctx: MapContext): MapOutcome {
  return runMap(SKYSLOPE_SALE, unwrap(json, "value", "sale"), ctx);
}

/** `GET /api/files/listings/:guid` (or a bulk-export listing) → `transaction.upserted`. */
export function mapSkySlopeListing(json: unknown, ctx: MapContext): MapOutcome {
  return runMap(SKYSLOPE_LISTING, unwrap(json, "value", "listing"), ctx);
}

/** A bulk-export file of either kind, told apart by `objectType` (or which guid it has). */
export function mapSkySlopeFile(json: unknown, ctx: MapContext): MapOutcome {
  const file = unwrap(json, "value");
  const isListing = isObject(file) && (file.objectType === "listing" || (file.saleGuid === undefined && file.listingGuid !== undefined));
  return isListing ? mapSkySlopeListing(file, ctx) : mapSkySlopeSale(file, ctx);
}
