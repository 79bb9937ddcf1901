/**
 * A D1 database that counts the rows its statements read (D1's `meta.rows_read`, what D1 bills),
 * for tests of what a query costs as the tables grow. `first()` and `all()` are answered through
 * `all()`, which carries the meta.
 */
export function countingRowsRead(db: D1Database): { db: D1Database; rowsRead: () => number } {
  let read = 0;
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        const all = async () => {
          const r = await target.all<Record<string, unknown>>();
          read += r.meta.rows_read ?? 0;
          return r;
        };
        if (prop === "all") return all;
        if (prop === "first")
          return async (column?: string) => {
            const row = (await all()).results[0] ?? null;
            return column === undefined || row === null ? row : (row[column] ?? null);
          };
        const v: unknown = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  const counted = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      const v: unknown = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { db: counted, rowsRead: () => read };
}
