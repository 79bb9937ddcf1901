import type { Store } from "../state/store";

/**
 * FUB list pagination: `limit` (default 10, max 100), `offset`, and the opaque `next` cursor;
 * every list carries `_metadata` {collection, offset, limit, total, next, nextLink} and the
 * array under the collection's name.
 */

function encodeCursor(offset: number): string {
  return btoa(JSON.stringify({ o: offset })).replace(/=+$/, "");
}

function decodeCursor(next: string): number | null {
  try {
    const v = JSON.parse(atob(next)) as unknown;
    const o = typeof v === "object" && v !== null && "o" in v ? v.o : null;
    return typeof o === "number" && o >= 0 ? o : null;
  } catch {
    return null;
  }
}

export type Page = { ok: true; body: Record<string, unknown> } | { ok: false; message: string };

/**
 * Slices `items` (already filtered and sorted) per the request's paging parameters; `view`
 * renders only the page's items (rendering all 20,000 people of a large seed for every page made
 * the sandbox, not the API's limit, the pace of a reader).
 */
export function paginate<T>(
  items: readonly T[],
  url: URL,
  collection: string,
  origin: string,
  view: (item: T) => unknown = (x) => x,
): Page {
  const q = url.searchParams;
  const limit = Math.min(100, Math.max(1, Number(q.get("limit") ?? 10) || 10));
  let offset = Math.max(0, Number(q.get("offset") ?? 0) || 0);
  const next = q.get("next");
  if (next !== null && next !== "") {
    const o = decodeCursor(next);
    if (o === null) return { ok: false, message: "Invalid value for next." };
    offset = o;
  }
  const page = items.slice(offset, offset + limit).map(view);
  const more = offset + limit < items.length;
  const cursor = more ? encodeCursor(offset + limit) : null;
  let nextLink: string | null = null;
  if (cursor !== null) {
    const p = new URLSearchParams(q);
    p.delete("offset");
    p.set("next", cursor);
    p.set("limit", String(limit));
    nextLink = `${origin}${url.pathname}?${p.toString()}`;
  }
  return {
    ok: true,
    body: {
      _metadata: { collection, offset, limit, total: items.length, next: cursor, nextLink },
      [collection]: page,
    },
  };
}

/** Sorts by a FUB `sort` parameter (`id`, `-id`, `created`, `-updated`, ...); default newest id first. */
export function sortBy<T extends { id: number }>(items: T[], sort: string | null): T[] {
  const s = sort ?? "-id";
  const desc = s.startsWith("-");
  const key = desc ? s.slice(1) : s;
  const get = (x: T): string | number => {
    // Deals keep `createdAt/updatedAt` where people keep `created/updated`; `sort=-updated` sorts both.
    const o = x as Record<string, unknown>;
    const v = o[key] ?? o[`${key}At`];
    return typeof v === "number" || typeof v === "string" ? v : x.id;
  };
  return [...items].sort((a, b) => {
    const av = get(a);
    const bv = get(b);
    const c = av < bv ? -1 : av > bv ? 1 : a.id - b.id;
    return desc ? -c : c;
  });
}

const PAGING = new Set(["limit", "offset", "next"]);
const lists = new WeakMap<Store, { generation: number; byQuery: Map<string, unknown[]> }>();

/**
 * A list's filtered, sorted records, built once per query (its paging parameters aside) until the
 * store next changes: paging through 20,000 people parses and sorts them once, not once a page.
 */
export function listOf<T>(store: Store, kind: string, q: URLSearchParams, build: () => T[]): T[] {
  let held = lists.get(store);
  if (!held || held.generation !== store.generation) {
    held = { generation: store.generation, byQuery: new Map() };
    lists.set(store, held);
  }
  const key = `${kind}?${[...q]
    .filter(([k]) => !PAGING.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join("&")}`;
  const hit = held.byQuery.get(key);
  if (hit) return hit as T[];
  const built = build();
  if (held.byQuery.size > 20) held.byQuery.clear();
  held.byQuery.set(key, built);
  return built;
}
