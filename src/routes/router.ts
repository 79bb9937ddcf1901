import type { Env as HonoEnv } from "hono";
import { HonoBase } from "hono/hono-base";
import type { Result } from "hono/router";
import { PatternRouter } from "hono/router/pattern-router";

/**
 * Hono's PatternRouter (one regular expression per route, tried in order: the smallest router,
 * and on the intake's two routes no slower than the others). It refuses a path ending in a slash, as
 * Hono's other routers do in its default strict mode: one path per page or endpoint, never two.
 */
class StrictPatternRouter<T> extends PatternRouter<T> {
  override match(method: string, path: string): Result<T> {
    return path.length > 1 && path.endsWith("/") ? [[]] : super.match(method, path);
  }
}

/** A Hono app on the strict PatternRouter. */
export function honoApp<E extends HonoEnv>(): HonoBase<E> {
  return new HonoBase<E>({ router: new StrictPatternRouter() });
}
