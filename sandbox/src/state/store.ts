/**
 * The vendor's records in the Durable Object's SQLite: one table of JSON records keyed by
 * (kind, id), a lookup table for the natural keys a vendor searches by (emails, phones, names),
 * and a small key/value table for sequences and settings. Plain synchronous SQL.
 */

type Row = Record<string, SqlStorageValue>;

/** Typed access to one vendor's records. */
export class Store {
  /** Bumped by every change to the records: what was read at one generation is still true at it. */
  private gen = 0;

  get generation(): number {
    return this.gen;
  }

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS records (
      kind TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, data TEXT NOT NULL,
      PRIMARY KEY (kind, id))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS lookups (
      kind TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, id TEXT NOT NULL)`);
    sql.exec("CREATE INDEX IF NOT EXISTS lookups_by_value ON lookups (kind, field, value)");
    sql.exec("CREATE INDEX IF NOT EXISTS lookups_by_id ON lookups (kind, id)");
    sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  }

  /** The object's SQLite, for a vendor that keeps tables of its own (the MLS's listing index). */
  get sqlStorage(): SqlStorage {
    return this.sql;
  }

  /** Deletes every record, lookup and meta value. */
  clear(): void {
    this.gen++;
    this.sql.exec("DELETE FROM records");
    this.sql.exec("DELETE FROM lookups");
    this.sql.exec("DELETE FROM meta");
  }

  /** The next value of a named sequence; the first call returns `start`. */
  seq(name: string, start = 1): number {
    const cur = this.getMeta<number>(`seq:${name}`);
    const next = cur === undefined ? start : cur + 1;
    this.setMeta(`seq:${name}`, next);
    return next;
  }

  /** One record, or undefined. The store only returns what the vendor module wrote. */
  get<T>(kind: string, id: string | number): T | undefined {
    const rows = this.sql.exec<Row>("SELECT data FROM records WHERE kind = ? AND id = ?", kind, String(id)).toArray();
    const data = rows[0]?.["data"];
    return typeof data === "string" ? (JSON.parse(data) as T) : undefined;
  }

  /**
   * Inserts or replaces a record, keeping its original insertion order. `index` maps a lookup
   * field to the values this record is found by (replacing the previous ones).
   */
  put<T>(kind: string, id: string | number, value: T, index?: Record<string, readonly string[]>): void {
    const key = String(id);
    this.gen++;
    const existing = this.sql.exec<Row>("SELECT ord FROM records WHERE kind = ? AND id = ?", kind, key).toArray();
    const ord = typeof existing[0]?.["ord"] === "number" ? existing[0]["ord"] : this.seq("ord");
    this.sql.exec("INSERT OR REPLACE INTO records (kind, id, ord, data) VALUES (?, ?, ?, ?)", kind, key, ord, JSON.stringify(value));
    if (index) {
      this.sql.exec("DELETE FROM lookups WHERE kind = ? AND id = ?", kind, key);
      for (const [field, values] of Object.entries(index)) {
        for (const v of new Set(values)) {
          if (v !== "") this.sql.exec("INSERT INTO lookups (kind, field, value, id) VALUES (?, ?, ?, ?)", kind, field, v, key);
        }
      }
    }
  }

  /** Removes a record and its lookups. */
  remove(kind: string, id: string | number): void {
    this.gen++;
    this.sql.exec("DELETE FROM records WHERE kind = ? AND id = ?", kind, String(id));
    this.sql.exec("DELETE FROM lookups WHERE kind = ? AND id = ?", kind, String(id));
  }

  /** Every record of a kind, in insertion order. */
  all<T>(kind: string): T[] {
    return this.sql
      .exec<Row>("SELECT data FROM records WHERE kind = ? ORDER BY ord", kind)
      .toArray()
      .map((r) => JSON.parse(String(r["data"])) as T);
  }

  /** How many records of a kind exist. */
  count(kind: string): number {
    const n = this.sql.exec<Row>("SELECT COUNT(*) AS n FROM records WHERE kind = ?", kind).one()["n"];
    return typeof n === "number" ? n : 0;
  }

  /** Ids of records whose lookup `field` equals `value`, oldest first. */
  idsBy(kind: string, field: string, value: string): string[] {
    return this.sql
      .exec<Row>(
        `SELECT l.id AS id FROM lookups l JOIN records r ON r.kind = l.kind AND r.id = l.id
         WHERE l.kind = ? AND l.field = ? AND l.value = ? ORDER BY r.ord`,
        kind,
        field,
        value,
      )
      .toArray()
      .map((r) => String(r["id"]));
  }

  /** The kinds that currently hold records. */
  kinds(): string[] {
    return this.sql
      .exec<Row>("SELECT DISTINCT kind FROM records ORDER BY kind")
      .toArray()
      .map((r) => String(r["kind"]));
  }

  getMeta<T>(key: string): T | undefined {
    const rows = this.sql.exec<Row>("SELECT value FROM meta WHERE key = ?", key).toArray();
    const v = rows[0]?.["value"];
    return typeof v === "string" ? (JSON.parse(v) as T) : undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }
}
