/**
 * `base` with these bindings and variables in place of its own, every other one as it is. Defined
 * on a new object over `base`, not assigned: a set would reach the shared env through the
 * prototype chain.
 */
export function overriding(base: Env, values: Record<string, unknown>): Env {
  return Object.defineProperties(
    Object.create(base) as Env,
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, enumerable: true }])),
  );
}

/**
 * `db` whose `batch` is `batch`, given the real one (D1 losing its connection, or another writer
 * landing just before): every other method as it is.
 */
export function withBatch(
  db: D1Database,
  batch: (stmts: D1PreparedStatement[], real: (stmts: D1PreparedStatement[]) => Promise<D1Result[]>) => Promise<D1Result[]>,
): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") return (stmts: D1PreparedStatement[]) => batch(stmts, (s) => target.batch(s));
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
