/**
 * What a vendor saw and sent: request and status counts, 429s, concurrency, webhook outcomes,
 * and per-context request times (so a benchmark can compute a sustained rate).
 */

export interface CounterValues {
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  rateLimited: number;
  injectedErrors: number;
  /** Requests refused by the `rejectWrites` or `rejectReads` setting. */
  rejectedWrites: number;
  /** Writes served whose answer the `loseAnswers` setting replaced by a 504. */
  lostAnswers: number;
  timeouts: number;
  maxInFlight: number;
  webhooksQueued: number;
  webhooksSent: number;
  webhookAttempts: number;
  webhookFailures: number;
  webhooksDropped: number;
  webhooksDuplicated: number;
}

export type CounterName = keyof CounterValues;

const ZERO: CounterValues = {
  requests: 0,
  status2xx: 0,
  status3xx: 0,
  status4xx: 0,
  status5xx: 0,
  rateLimited: 0,
  injectedErrors: 0,
  rejectedWrites: 0,
  lostAnswers: 0,
  timeouts: 0,
  maxInFlight: 0,
  webhooksQueued: 0,
  webhooksSent: 0,
  webhookAttempts: 0,
  webhookFailures: 0,
  webhooksDropped: 0,
  webhooksDuplicated: 0,
};

/** Request times kept per context; older ones are forgotten. */
const MAX_TIMES = 20_000;
/** Requests kept in the request log (method, path, status); older ones are forgotten. */
export const MAX_LOG = 20_000;

/** One request the vendor served, for tests that must prove what was (not) called. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

/** Where the request log is kept: in memory, or in the vendor object's storage (request-log.ts). */
export interface RequestLogStore {
  append(entry: LoggedRequest): void;
  all(): LoggedRequest[];
  clear(): void;
}

/** A request log in memory, the newest MAX_LOG requests. */
export function memoryRequestLog(): RequestLogStore {
  let log: LoggedRequest[] = [];
  return {
    append(entry) {
      log.push(entry);
      if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    },
    all: () => [...log],
    clear: () => {
      log = [];
    },
  };
}

/** Mutable counters of one vendor. */
export class Counters {
  values: CounterValues;
  inFlight = 0;
  private times = new Map<string, number[]>();

  constructor(
    saved?: Partial<CounterValues>,
    private readonly log: RequestLogStore = memoryRequestLog(),
  ) {
    this.values = { ...ZERO, ...saved };
  }

  add(name: CounterName, n = 1): void {
    this.values[name] += n;
  }

  /** Records one request of `context` at `now`. */
  stamp(context: string, now: number): void {
    const list = this.times.get(context) ?? [];
    list.push(now);
    if (list.length > MAX_TIMES) list.splice(0, list.length - MAX_TIMES);
    this.times.set(context, list);
  }

  /** Counts a response by status class. */
  status(status: number): void {
    if (status >= 500) this.add("status5xx");
    else if (status >= 400) this.add("status4xx");
    else if (status >= 300) this.add("status3xx");
    else this.add("status2xx");
    if (status === 429) this.add("rateLimited");
  }

  /** Logs one served request. */
  logRequest(entry: LoggedRequest): void {
    this.log.append(entry);
  }

  /** The request log, oldest first. */
  requests(): LoggedRequest[] {
    return this.log.all();
  }

  enter(): void {
    this.inFlight++;
    this.values.maxInFlight = Math.max(this.values.maxInFlight, this.inFlight);
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  reset(): void {
    this.values = { ...ZERO };
    this.times.clear();
    this.log.clear();
  }

  /** A JSON snapshot for `GET /_sandbox/:vendor/counters`. */
  snapshot(): CounterValues & { inFlight: number; requestTimes: Record<string, number[]> } {
    return { ...this.values, inFlight: this.inFlight, requestTimes: Object.fromEntries(this.times) };
  }
}
