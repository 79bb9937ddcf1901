import * as z from "../lib/zod";

/**
 * Keyset pages for the ops lists. A list answers in a fixed order (newest first by (created_at,
 * id) unless it says otherwise) with the total that matches its filter and an opaque cursor for
 * the next page, so nothing past the first page goes unseen and rows added while paging never
 * shift a page (no gaps, no repeats).
 */

const Position = z.tuple([z.number(), z.string().check(z.minLength(1), z.maxLength(200))]);
/** Where a page ended: the last row's sort value (a time, a score, an id) and its key. */
export type Position = z.infer<typeof Position>;

/** A position as an opaque, URL-safe cursor. */
export function encodeCursor(p: Position): string {
  return btoa(JSON.stringify(p)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeCursor(text: string): Position | null {
  try {
    const parsed = Position.safeParse(JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/"))));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The rows of one page, fetched with one row more than the page holds: that extra row only says
 * another page follows, and the cursor points after the page's last row.
 */
export function pageOf<R extends { created_at: number }>(
  rows: R[],
  limit: number,
  keyOf: (r: R) => string,
): { rows: R[]; cursor: string | null } {
  return pageBy(rows, limit, (r) => [r.created_at, keyOf(r)]);
}

/** `pageOf` for a list sorted by something other than its creation time. */
export function pageBy<R>(rows: R[], limit: number, positionOf: (r: R) => Position): { rows: R[]; cursor: string | null } {
  if (rows.length <= limit) return { rows, cursor: null };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { rows: kept, cursor: last ? encodeCursor(positionOf(last)) : null };
}

/** One page of a list: its rows, how many match in all, and the cursor of the next page. */
export interface Page<R> {
  rows: R[];
  total: number;
  cursor: string | null;
}

/** The count a `SELECT COUNT(*) AS n` answered. */
export const countOf = (r: D1Result | undefined): number => ((r?.results ?? [])[0] as { n: number } | undefined)?.n ?? 0;

/**
 * SQL: the row comes after position (?N, ?N+1) in newest-first order (created_at, then `key`
 * descending); both NULL for the first page.
 */
export const afterPosition = (n: number, key = "id", sort = "created_at") =>
  `(?${n} IS NULL OR ${sort} < ?${n} OR (${sort} = ?${n} AND ${key} < ?${n + 1}))`;
