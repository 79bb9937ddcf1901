/**
 * A vendor's request log in its object's SQLite, so it outlives the object's eviction (the
 * runtime evicts an object idle for a few seconds): benchmarks read a vendor's arrivals over a
 * whole run from it. Keeps the newest MAX_LOG requests.
 */
import { MAX_LOG, type LoggedRequest, type RequestLogStore } from "../core/counters";

/** Trimmed once every this many appends, not on each. */
const TRIM_EVERY = 1_000;

export function sqlRequestLog(sql: SqlStorage): RequestLogStore {
  sql.exec(`CREATE TABLE IF NOT EXISTS request_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, at INTEGER NOT NULL)`);
  let appended = 0;
  return {
    append(e) {
      sql.exec("INSERT INTO request_log (method, path, status, at) VALUES (?, ?, ?, ?)", e.method, e.path, e.status, e.at);
      if (++appended % TRIM_EVERY === 0) sql.exec("DELETE FROM request_log WHERE seq <= (SELECT MAX(seq) FROM request_log) - ?", MAX_LOG);
    },
    all: () =>
      sql
        .exec<{ method: string; path: string; status: number; at: number }>(
          "SELECT method, path, status, at FROM (SELECT * FROM request_log ORDER BY seq DESC LIMIT ?) ORDER BY seq",
          MAX_LOG,
        )
        .toArray()
        .map((r): LoggedRequest => ({ method: r.method, path: r.path, status: r.status, at: r.at })),
    clear: () => {
      sql.exec("DELETE FROM request_log");
    },
  };
}
