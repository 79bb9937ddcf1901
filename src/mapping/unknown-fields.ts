/**
 * Unknown-field drift: keys present in the body inside an object the map reads, that no rule
 * reads and the map does not list as ignored. A new vendor field shows up here first.
 */
import { isIgnored, knownPaths } from "./known-paths";
import { maskSample } from "./mask";
import { EACH, isObject, showPath, type Seg } from "./path";
import type { DriftRecord, FieldMap } from "./types";

type Found = Omit<DriftRecord, "source" | "map" | "seenAt">;

/** Reports each unknown generic path once, however many array elements carry it. */
export function findUnknown(map: FieldMap, body: unknown, renamed: ReadonlySet<string>): Found[] {
  const { claimed, inner } = knownPaths(map);
  const open = new Set(map.open ?? []);
  const seen = new Map<string, Found>();
  const walk = (value: unknown, segs: Seg[]): void => {
    const here = showPath(segs);
    if (!inner.has(here)) return;
    if (Array.isArray(value)) {
      for (const el of value) walk(el, [...segs, EACH]);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, v] of Object.entries(value)) {
      const path = showPath([...segs, key]);
      if (claimed.has(path)) {
        walk(v, [...segs, key]);
        continue;
      }
      if (open.has(here) || isIgnored(map, path) || renamed.has(path) || seen.has(path)) continue;
      seen.set(path, { field: path, kind: "unknown_field", sample: maskSample(v) });
    }
  };
  walk(body, []);
  return [...seen.values()];
}
