/**
 * The one generic mapper: applies a field map to a body and returns the draft event data, the
 * envelope fields, the issues (invalid values dropped) and the drift (the body no longer matches
 * the map). Pure: no I/O, no clock, no randomness.
 */
import { normalizeAddress } from "../normalize";
import { isIgnored, knownPaths } from "./known-paths";
import { jsonTypeOf, maskSample } from "./mask";
import { normalize, expectedType, text } from "./normalizers";
import { EACH, getAll, isObject, parsePath, setPath, showPath, type Json, type Seg } from "./path";
import { isSimilarKey } from "./similar";
import type { AddressPart, DriftRecord, FieldMap, FieldRule, JsonType, MapContext, MapIssue, Rule } from "./types";
import { findUnknown } from "./unknown-fields";

export interface Draft {
  data: Json;
  meta: Json;
  issues: MapIssue[];
  drift: DriftRecord[];
  /** Required fields that were absent or invalid (the delivery fails). */
  missing: string[];
}

interface State {
  map: FieldMap;
  ctx: MapContext;
  draft: Draft;
  /** Generic paths of unknown keys already reported as `renamed`. */
  renamed: Set<string>;
}

type Drift = Omit<DriftRecord, "source" | "map" | "seenAt">;

function drift(st: State, d: Drift): void {
  st.draft.drift.push({ source: st.map.system, map: st.map.name, seenAt: new Date(st.ctx.receivedAt).toISOString(), ...d });
}

function issue(st: State, code: string, field: string, raw: unknown, detail?: string): void {
  const sample = maskSample(raw);
  const why = detail && detail !== code ? ` (${detail})` : "";
  st.draft.issues.push({ code, field, sample, message: `${code}${why}: ${sample} dropped` });
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "");
}

function typeMatches(v: unknown, t: JsonType): boolean {
  const actual = jsonTypeOf(v);
  return t === "scalar" ? actual === "string" || actual === "number" : actual === t;
}

const CONTAINER = new Set(["object", "array"]);

/** Values of a rule's source path, falling back to its aliases (recorded as drift). */
function resolve(st: State, rule: FieldRule, body: unknown, prefix: readonly Seg[]): unknown[] {
  const segs = parsePath(rule.from);
  const field = showPath([...prefix, ...segs]);
  const main = getAll(body, segs);
  if (main.mismatch) {
    const at = showPath([...prefix, ...parsePath(main.mismatch.at)]);
    drift(st, {
      field: at,
      kind: "type_changed",
      variant: main.mismatch.expected,
      sample: `${jsonTypeOf(main.mismatch.value)}: ${maskSample(main.mismatch.value)}`,
    });
  }
  const values = main.hits.map((h) => h.value).filter(present);
  if (values.length > 0) return values;
  for (const alias of rule.aliases ?? []) {
    const found = getAll(body, parsePath(alias))
      .hits.map((h) => h.value)
      .filter(present);
    if (found.length > 0) {
      drift(st, { field, kind: "alias_used", variant: showPath([...prefix, ...parsePath(alias)]), sample: maskSample(found[0]) });
      return found;
    }
  }
  detectRename(st, body, prefix, segs);
  return [];
}

/** An expected key is absent: is an unclaimed sibling key a likely rename of it? */
function detectRename(st: State, body: unknown, prefix: readonly Seg[], segs: Seg[]): void {
  const last = segs[segs.length - 1];
  if (typeof last !== "string") return;
  const parentSegs = segs.slice(0, -1);
  // Free-form objects are full of unrelated keys; a look-alike there is not evidence of a rename.
  if (st.map.open?.includes(showPath([...prefix, ...parentSegs]))) return;
  const { claimed } = knownPaths(st.map);
  for (const { value: parent } of getAll(body, parentSegs).hits) {
    if (!isObject(parent)) continue;
    for (const key of Object.keys(parent)) {
      const path = showPath([...prefix, ...parentSegs, key]);
      if (claimed.has(path) || isIgnored(st.map, path) || !isSimilarKey(last, key)) continue;
      st.renamed.add(path);
      drift(st, { field: showPath([...prefix, ...segs]), kind: "renamed", variant: path, sample: maskSample(parent[key]) });
    }
  }
}

function write(st: State, target: Json, to: string, value: unknown): void {
  if (to.startsWith("$.")) st.draft.meta[to.slice(2)] = value;
  else setPath(target, to, value);
}

interface Failed {
  /** Required fields that were absent (also recorded as `missing_required` drift). */
  absent: string[];
  /** Required fields present but invalid (already listed as issues). */
  invalid: string[];
}

/** Applies rules to one object; returns the required fields that were absent or invalid. */
function applyRules(st: State, rules: readonly Rule[], body: unknown, prefix: readonly Seg[], target: Json): Failed {
  const failed: Failed = { absent: [], invalid: [] };
  const buckets = new Map<string, Partial<Record<AddressPart, string>>>();
  for (const rule of rules) {
    if (!("from" in rule)) {
      write(st, target, rule.to, rule.value);
      continue;
    }
    const field = showPath([...prefix, ...parsePath(rule.from)]);
    const values = resolve(st, rule, body, prefix);
    if (values.length === 0 && rule.required) {
      drift(st, { field, kind: "missing_required", sample: "absent" });
      failed.absent.push(field);
      continue;
    }
    const expected = expectedType(rule);
    let reported = false;
    let mapped = 0;
    for (const raw of values) {
      if (!typeMatches(raw, expected)) {
        if (!reported) drift(st, { field, kind: "type_changed", variant: expected, sample: `${jsonTypeOf(raw)}: ${maskSample(raw)}` });
        reported = true;
        if (CONTAINER.has(expected) || CONTAINER.has(jsonTypeOf(raw))) {
          issue(st, "type_mismatch", field, raw, `expected ${expected}`);
          continue;
        }
      }
      if (rule.items) {
        mapped += applyItems(st, rule, raw, [...prefix, ...parsePath(rule.from)], target);
        continue;
      }
      const part = rule.norm?.startsWith("addressPart:") ? (rule.norm.slice(12) as AddressPart) : undefined;
      const out = normalize(raw, rule, st.map);
      if (!out.ok) {
        issue(st, out.code, field, raw, out.detail);
        continue;
      }
      if (out.value === undefined) continue;
      mapped++;
      if (part) {
        const b = buckets.get(rule.to) ?? {};
        b[part] = String(out.value);
        buckets.set(rule.to, b);
      } else {
        write(st, target, rule.to, rule.into ? { ...rule.into.with, [rule.into.key]: out.value } : out.value);
      }
    }
    if (rule.required && values.length > 0 && mapped === 0) failed.invalid.push(field);
  }
  for (const [to, parts] of buckets) finishAddress(st, target, to, parts, prefix);
  return failed;
}

function applyItems(st: State, rule: FieldRule, raw: unknown, segs: Seg[], target: Json): number {
  const elements = rule.single ? [raw] : Array.isArray(raw) ? raw : [];
  const prefix: Seg[] = rule.single ? segs : [...segs, EACH];
  let mapped = 0;
  for (const el of elements) {
    if (!isObject(el)) continue;
    const out: Json = {};
    const failed = applyRules(st, rule.items ?? [], el, prefix, out);
    // An invalid required value is already an issue; only an absent one needs saying here.
    if (failed.absent.length > 0) issue(st, "item_incomplete", showPath(prefix), el, `${failed.absent.join(", ")} absent`);
    if (failed.absent.length + failed.invalid.length > 0) continue;
    if (Object.keys(out).length === 0) continue;
    write(st, target, rule.to, out);
    mapped++;
  }
  return mapped;
}

/** Address parts gathered from several fields become one USPS-normalized address. */
function finishAddress(st: State, target: Json, to: string, p: Partial<Record<AddressPart, string>>, prefix: readonly Seg[]): void {
  const street = [p.predirectional, p.street].filter(Boolean).join(" ") || undefined;
  const unit = p.unit !== undefined ? (/^[A-Za-z0-9-]+$/.test(p.unit) ? `#${p.unit}` : p.unit) : undefined;
  const line2 = p.line2 ?? unit;
  if (![p.number, street, line2, p.city, p.state, p.zip].some((x) => text(x) !== undefined)) return;
  const r = normalizeAddress({ number: p.number, street, line2, city: p.city, state: p.state, zip: p.zip });
  if (r.ok) write(st, target, to, r.value);
  else
    issue(
      st,
      "address_invalid",
      showPath([...prefix, ...parsePath(to)]),
      [p.number, street, p.city, p.state, p.zip].filter(Boolean).join(" "),
      r.code,
    );
}

/** Applies a map to one body (one view when the map splits the body). */
export function applyMap(map: FieldMap, body: unknown, ctx: MapContext): Draft {
  const draft: Draft = { data: {}, meta: {}, issues: [], drift: [], missing: [] };
  const st: State = { map, ctx, draft, renamed: new Set() };
  const failed = applyRules(st, map.rules, body, [], draft.data);
  draft.missing.push(...failed.absent, ...failed.invalid.map((f) => `${f} (invalid)`));
  for (const d of findUnknown(map, body, st.renamed)) drift(st, d);
  return draft;
}
