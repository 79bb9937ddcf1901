/**
 * `a = excluded.a, b = excluded.b` for the columns `"a, b"`: an upsert's update of what it
 * inserted, written from the one column list both clauses name.
 */
export const takeExcluded = (columns: string): string =>
  columns
    .split(", ")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");

/**
 * `value ->> 'a', ?1, value ->> 'b'` for `"a ?1 b"`: a SELECT over `json_each` rows reading each
 * named key of the row, with `?n` parameters kept in place.
 */
export const fromRows = (keys: string): string =>
  keys
    .split(" ")
    .map((k) => (k[0] === "?" ? k : `value ->> '${k}'`))
    .join(", ");
