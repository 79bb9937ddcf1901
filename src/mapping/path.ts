/**
 * Paths into JSON bodies: `a.b[].c[0].d` — keys split on `.`, `[]` iterates an array, `[0]`
 * picks one element. Keys may contain spaces and slashes (Dotloop's "Purchase/Sale Price").
 */
export const EACH: unique symbol = Symbol("each");
export type Seg = string | number | typeof EACH;

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses a path; `""` is the root. */
export function parsePath(path: string): Seg[] {
  if (path === "") return [];
  const segs: Seg[] = [];
  for (const part of path.split(".")) {
    const m = /^(.*?)((?:\[\d*\])*)$/.exec(part);
    const key = m?.[1] ?? part;
    if (key !== "") segs.push(key);
    for (const b of (m?.[2] ?? "").match(/\[\d*\]/g) ?? []) {
      segs.push(b === "[]" ? EACH : Number(b.slice(1, -1)));
    }
  }
  return segs;
}

/** The generic (map-level) form of a path: indexes shown as `[]`, as drift records name fields. */
export function showPath(segs: readonly Seg[]): string {
  let out = "";
  for (const s of segs) {
    if (typeof s === "string") out += out === "" ? s : `.${s}`;
    else out += "[]";
  }
  return out;
}

export interface Hit {
  value: unknown;
}

export interface Lookup {
  hits: Hit[];
  /** Set when a path step met the wrong container type (an object where an array was expected). */
  mismatch?: { at: string; value: unknown; expected: "array" | "object" };
}

/** Every value at `segs` (several when the path iterates); absent values yield no hit. */
export function getAll(body: unknown, segs: readonly Seg[]): Lookup {
  let current: unknown[] = [body];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (seg === undefined) break;
    const next: unknown[] = [];
    for (const v of current) {
      if (seg === EACH || typeof seg === "number") {
        if (v === undefined || v === null) continue;
        if (!Array.isArray(v)) return { hits: [], mismatch: { at: showPath(segs.slice(0, i)), value: v, expected: "array" } };
        if (seg === EACH) next.push(...v);
        else if (seg < v.length) next.push(v[seg]);
      } else if (isObject(v)) {
        if (seg in v) next.push(v[seg]);
      } else if (v !== undefined && v !== null) {
        return { hits: [], mismatch: { at: showPath(segs.slice(0, i)), value: v, expected: "object" } };
      }
    }
    current = next;
  }
  return { hits: current.filter((v) => v !== undefined).map((value) => ({ value })) };
}

/** Writes `value` at a target path; `[]` at the end appends; objects merge into objects. */
export function setPath(target: Json, path: string, value: unknown): void {
  const segs = parsePath(path);
  if (segs.length === 0) {
    if (isObject(value)) mergeInto(target, value);
    return;
  }
  const append = segs[segs.length - 1] === EACH;
  const keys = (append ? segs.slice(0, -1) : segs).filter((s): s is string => typeof s === "string");
  let node = target;
  for (const k of keys.slice(0, -1)) {
    const child = node[k];
    if (!isObject(child)) node[k] = {};
    node = node[k] as Json;
  }
  const last = keys[keys.length - 1];
  if (last === undefined) return;
  if (append) {
    const arr = Array.isArray(node[last]) ? (node[last] as unknown[]) : [];
    arr.push(value);
    node[last] = arr;
  } else if (isObject(value) && isObject(node[last])) {
    mergeInto(node[last] as Json, value);
  } else {
    node[last] = value;
  }
}

function mergeInto(target: Json, src: Json): void {
  for (const [k, v] of Object.entries(src)) {
    if (isObject(v) && isObject(target[k])) mergeInto(target[k] as Json, v);
    else target[k] = v;
  }
}

/**
 * Splits a body into one view per element at `segs`: each view is the whole body with every
 * iterated array narrowed to one element, so maps keep their full paths and unknown-field
 * detection still sees the real structure.
 */
export function viewsOf(body: unknown, segs: readonly Seg[]): unknown[] {
  const [seg, ...rest] = segs;
  if (seg === undefined) return [body];
  if (seg === EACH) {
    if (!Array.isArray(body)) return [];
    return body.flatMap((el) => viewsOf(el, rest).map((v) => [v]));
  }
  if (typeof seg === "number" || !isObject(body)) return [];
  return viewsOf(body[seg], rest).map((v) => ({ ...body, [seg]: v }));
}
