/**
 * `a = excluded.a, b = excluded.b` for the columns `"a, b"`: an upsert's update of what it
 * inserted, written from the one column list both clauses name.
 */
export const takeExcluded = (columns: string): string =>
  columns
    .split(", ")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");
