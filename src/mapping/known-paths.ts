/**
 * What a map knows about a body's structure, computed once per map: every source path a rule
 * reads (with all its prefixes), and the objects a rule reads inside of — the ones whose other
 * keys count as unknown fields.
 */
import { EACH, parsePath, showPath, type Seg } from "./path";
import type { FieldMap, Rule } from "./types";

export interface KnownPaths {
  /** Generic paths read by some rule, and all their prefixes. */
  claimed: ReadonlySet<string>;
  /** Generic paths of objects/arrays that some rule reads inside of. */
  inner: ReadonlySet<string>;
}

const cache = new WeakMap<FieldMap, KnownPaths>();

function collect(rules: readonly Rule[], prefix: readonly Seg[], out: Seg[][]): void {
  for (const rule of rules) {
    if (!("from" in rule)) continue;
    for (const from of [rule.from, ...(rule.aliases ?? [])]) {
      const segs = [...prefix, ...parsePath(from)];
      out.push(segs);
      if (rule.items) collect(rule.items, rule.single ? segs : [...segs, EACH], out);
    }
  }
}

export function knownPaths(map: FieldMap): KnownPaths {
  const hit = cache.get(map);
  if (hit) return hit;
  const paths: Seg[][] = [];
  collect(map.rules, [], paths);
  const claimed = new Set<string>();
  const inner = new Set<string>([""]);
  for (const segs of paths) {
    for (let i = 1; i <= segs.length; i++) {
      claimed.add(showPath(segs.slice(0, i)));
      if (i < segs.length) inner.add(showPath(segs.slice(0, i)));
    }
  }
  const known = { claimed, inner };
  cache.set(map, known);
  return known;
}

/** True when a generic path is listed in the map's `ignore` (exactly or by `prefix*`). */
export function isIgnored(map: FieldMap, path: string): boolean {
  return (map.ignore ?? []).some((p) => (p.endsWith("*") ? path.startsWith(p.slice(0, -1)) : path === p));
}
