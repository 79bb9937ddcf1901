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
        if (prop === "all")
          return async () => {
            const r = await target.all();
            read += r.meta.rows_read ?? 0;
            return r;
          };
        if (prop === "first")
          return async () => {
            const r = await target.all();
            read += r.meta.rows_read ?? 0;
            return r.results[0] ?? null;
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
