/**
 * Webhook deliveries a vendor owes: a SQLite table shared by the two delivery modes. With
 * HUB_URL = "outbox" (tests) rows wait to be listed and drained; with an http(s) HUB_URL the
 * object's alarm POSTs them and walks the vendor's retry ladder. Drop / duplicate / out-of-order
 * faults are decided here, when a delivery is queued, so they apply to both modes.
 */
import type { Rng } from "../lib/prng";
import type { Settings } from "../state/settings";
import type { Counters } from "./counters";
import { applyDrift } from "./drift";
import { signHeaders } from "./signing";
import type { SignSpec } from "./signing";

/** One webhook a vendor wants to send. */
export interface WebhookInput {
  /** The hub source name: /hooks/<source>. */
  source: string;
  /** A registered URL; null = the hub's `${HUB_URL}/hooks/<source>`. */
  url: string | null;
  /** JSON body (drift is applied before it is serialised and signed). */
  body: unknown;
  sign: SignSpec;
  /** Delays of the retries after the first attempt, in vendor milliseconds (before timeScale). */
  ladderMs: readonly number[];
  /** Vendor reference (e.g. the FUB webhook id) so a 410 can disable the registration. */
  ref?: string;
}

/** A delivery as listed by `GET /_sandbox/outbox`. */
export interface OutboxEntry {
  id: string;
  source: string;
  path: string;
  url: string | null;
  headers: Record<string, string>;
  body: string;
  attempts: number;
  orderKey: number;
}

export interface QueueResult {
  /** Delivery ids created (two when duplicated, none when dropped). */
  ids: string[];
  dropped: boolean;
  duplicated: boolean;
}

interface DeliveryRow extends Record<string, SqlStorageValue> {
  id: string;
  source: string;
  url: string | null;
  body: string;
  sign: string;
  ladder: string;
  ref: string | null;
  attempts: number;
  order_key: number;
}

/** The deliveries table of one vendor. */
export class Outbox {
  constructor(
    private readonly sql: SqlStorage,
    private readonly vendor: string,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS deliveries (
      id TEXT PRIMARY KEY, source TEXT NOT NULL, url TEXT, body TEXT NOT NULL, sign TEXT NOT NULL,
      ladder TEXT NOT NULL, ref TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL,
      next_at INTEGER NOT NULL, order_key REAL NOT NULL, last_status INTEGER)`);
  }

  clear(): void {
    this.sql.exec("DELETE FROM deliveries");
  }

  /** Queues a webhook, applying the vendor's drop / duplicate / out-of-order settings. */
  queue(input: WebhookInput, deps: { settings: Settings; rng: Rng; counters: Counters; seq: () => number }): QueueResult {
    const { settings, rng, counters } = deps;
    counters.add("webhooksQueued");
    if (rng.chance(settings.dropRate)) {
      counters.add("webhooksDropped");
      return { ids: [], dropped: true, duplicated: false };
    }
    const duplicated = rng.chance(settings.duplicateRate);
    if (duplicated) counters.add("webhooksDuplicated");
    const body = JSON.stringify(settings.drift ? applyDrift(input.body, settings.drift) : input.body);
    const ids: string[] = [];
    const now = Date.now();
    for (let copy = 0; copy < (duplicated ? 2 : 1); copy++) {
      const seq = deps.seq();
      const hold = settings.outOfOrder ? rng.float() * settings.outOfOrderHoldMs : 0;
      const id = `${this.vendor}-${seq}`;
      this.sql.exec(
        `INSERT INTO deliveries (id, source, url, body, sign, ladder, ref, status, attempts, next_at, order_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
        id,
        input.source,
        input.url,
        body,
        JSON.stringify(input.sign),
        JSON.stringify(input.ladderMs),
        input.ref ?? null,
        Math.round(now + hold + copy * 50),
        now + hold + seq / 1e6,
      );
      ids.push(id);
    }
    return { ids, dropped: false, duplicated };
  }

  /** Pending deliveries (of one hub source, if given) in delivery order, signed as of now. */
  async pending(source?: string): Promise<OutboxEntry[]> {
    const rows = this.sql
      .exec<DeliveryRow>("SELECT * FROM deliveries WHERE status = 'pending' ORDER BY order_key")
      .toArray()
      .filter((r) => source === undefined || r.source === source);
    return Promise.all(rows.map((r) => this.entry(r)));
  }

  /** Returns the pending deliveries (of one source, if given) and marks them taken. */
  async drain(source?: string): Promise<OutboxEntry[]> {
    const entries = await this.pending(source);
    for (const e of entries) this.sql.exec("UPDATE deliveries SET status = 'taken' WHERE id = ?", e.id);
    return entries;
  }

  /** Pending deliveries whose time has come (HTTP mode). */
  async due(now: number, max: number): Promise<Array<OutboxEntry & { ladder: number[]; ref: string | null }>> {
    const rows = this.sql
      .exec<DeliveryRow>("SELECT * FROM deliveries WHERE status = 'pending' AND next_at <= ? ORDER BY order_key LIMIT ?", now, max)
      .toArray();
    return Promise.all(rows.map(async (r) => ({ ...(await this.entry(r)), ladder: JSON.parse(r.ladder) as number[], ref: r.ref })));
  }

  /** Records an attempt: delivered, failed for good, or rescheduled at `retryAt`. */
  record(id: string, status: number, outcome: "delivered" | "failed" | { retryAt: number }): void {
    if (typeof outcome === "object") {
      this.sql.exec(
        "UPDATE deliveries SET attempts = attempts + 1, last_status = ?, next_at = ? WHERE id = ?",
        status,
        Math.round(outcome.retryAt),
        id,
      );
    } else {
      this.sql.exec("UPDATE deliveries SET attempts = attempts + 1, last_status = ?, status = ? WHERE id = ?", status, outcome, id);
    }
  }

  /** The earliest time a pending delivery is due, if any. */
  nextDue(): number | null {
    const row = this.sql.exec<{ t: number | null }>("SELECT MIN(next_at) AS t FROM deliveries WHERE status = 'pending'").one();
    return typeof row.t === "number" ? row.t : null;
  }

  private async entry(r: DeliveryRow): Promise<OutboxEntry> {
    const spec = JSON.parse(r.sign) as SignSpec;
    const headers = { "content-type": "application/json", ...(await signHeaders(spec, r.body, Date.now())) };
    const path = r.url ? new URL(r.url).pathname : `/hooks/${r.source}`;
    return { id: r.id, source: r.source, path, url: r.url, headers, body: r.body, attempts: r.attempts, orderKey: r.order_key };
  }
}
