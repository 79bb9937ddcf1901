/**
 * A shape derived from published vendor payloads, and a check that another body (the sandbox's
 * answer) has it: every key a published body has, with a JSON type the published bodies used.
 * Published bodies hold many nulls (empty fields), so a null on either side matches any type;
 * an object with no keys (a value the publisher elided) only asks for an object.
 */

type Kind = "null" | "string" | "number" | "boolean" | "array" | "object";

export interface Shape {
  kinds: Set<Kind>;
  /** Object keys and their shapes, when some sample was an object. */
  keys?: Map<string, Shape>;
  /** For arrays: the shapes of the published items, one per item (items may differ in kind). */
  items?: Shape[];
}

function kindOf(v: unknown): Kind {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  const t = typeof v;
  if (t === "string" || t === "number" || t === "boolean") return t;
  return "object";
}

/** The shape of one published body. */
export function shapeOf(v: unknown): Shape {
  const kind = kindOf(v);
  const shape: Shape = { kinds: new Set([kind]) };
  if (kind === "object") shape.keys = new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, shapeOf(x)]));
  if (kind === "array") shape.items = (v as unknown[]).map(shapeOf);
  return shape;
}

/** The shape several published bodies agree on: a key any of them has, any kind any of them used. */
export function mergeShapes(shapes: Shape[]): Shape {
  const out: Shape = { kinds: new Set() };
  for (const s of shapes) {
    for (const k of s.kinds) out.kinds.add(k);
    if (s.keys) {
      out.keys ??= new Map();
      for (const [k, sub] of s.keys) out.keys.set(k, out.keys.has(k) ? mergeShapes([out.keys.get(k) as Shape, sub]) : sub);
    }
    if (s.items) out.items = [...(out.items ?? []), ...s.items];
  }
  return out;
}

/** Where `v` departs from `shape`, as `path: what` lines; empty when it conforms. */
export function mismatches(v: unknown, shape: Shape, path = "$"): string[] {
  const kind = kindOf(v);
  if (kind === "null" || (shape.kinds.has("null") && shape.kinds.size === 1)) return [];
  if (!shape.kinds.has(kind)) return [`${path}: ${kind}, published ${[...shape.kinds].join("|")}`];
  const out: string[] = [];
  if (kind === "object" && shape.keys) {
    const o = v as Record<string, unknown>;
    for (const [k, sub] of shape.keys) {
      if (!(k in o)) out.push(`${path}.${k}: missing`);
      else out.push(...mismatches(o[k], sub, `${path}.${k}`));
    }
  }
  if (kind === "array" && shape.items && shape.items.length > 0) {
    const items = shape.items;
    (v as unknown[]).forEach((x, i) => {
      // An item must look like one of the published items (sales and listings share an export).
      const tries = items.map((s) => mismatches(x, s, `${path}[${i}]`));
      const best = tries.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...best);
    });
  }
  return out;
}
