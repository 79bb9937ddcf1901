/** `mapDelivery`: one verified webhook body in, canonical events (plus drift and issues) out. */
import type { SourceName } from "../canonical";
import { jsonTypeOf } from "./mask";
import { getAll, parsePath } from "./path";
import { runMap } from "./run-map";
import { SOURCES } from "./sources";
import { mapStandard } from "./standard";
import { mapEntityEvents } from "./maps/reso";
import type { MapContext, MapOutcome, Variant } from "./types";

function matches(v: Variant, body: unknown): boolean {
  const w = v.when;
  if (!w) return true;
  const value = getAll(body, parsePath(w.path)).hits[0]?.value;
  if (value === undefined || value === null) return false;
  if (w.is) {
    const t = jsonTypeOf(value);
    if (w.is === "scalar" ? t !== "string" && t !== "number" : t !== w.is) return false;
  }
  if (w.equals && !w.equals.includes(String(value))) return false;
  if (w.prefix !== undefined && !String(value).startsWith(w.prefix)) return false;
  return true;
}

/**
 * Maps one delivery from `source` to canonical events. Pure: the same body and context always
 * give the same result (event ids derive from `ctx.deliveryId`), so a replay is idempotent.
 * `ok: false` is permanent for this body (ingest marks the delivery rejected and alerts); `drift` is returned either way.
 */
export function mapDelivery(source: SourceName, body: unknown, ctx: MapContext): MapOutcome {
  if (source === "standard") return mapStandard(body, ctx);
  if (source === "reso") return mapEntityEvents(body, ctx);
  const variant = SOURCES[source].find((v) => matches(v, body));
  if (!variant) {
    return { ok: false, code: "shape_unknown", reason: `${source}: body matches no known payload shape`, drift: [], issues: [] };
  }
  if (variant.skip) return { ok: true, events: [], drift: [], issues: [] };
  return runMap(variant.map, body, ctx);
}
