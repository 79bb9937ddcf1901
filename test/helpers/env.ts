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
