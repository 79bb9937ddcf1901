// The backfill phase of `npm run bench`: seed the sandbox with a brokerage's existing records
// (with the ground truth of who is who), connect the OAuth vendors, run the backfill through the
// ops API and report wall time, vendor calls per second against each limit while that vendor's
// readers ran, memory per chunk, and link precision / recall against the truth.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function json(url, init) {
  const r = await fetch(url, init);
  if (!r.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** The broker connects an OAuth vendor: /connect/:vendor → the sandbox approves → the hub's callback. */
async function connect(stack, token, vendor) {
  const start = await fetch(`${stack.hub}/connect/${vendor}`, { redirect: "manual", headers: { authorization: `Bearer ${token}` } });
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0];
  const approve = await fetch(start.headers.get("location"), { redirect: "manual" });
  const back = new URL(approve.headers.get("location"));
  const done = await fetch(`${stack.hub}${back.pathname}${back.search}`, { headers: { cookie } });
  if (done.status !== 200) throw new Error(`connect ${vendor}: ${done.status}`);
}

/** Every link of the hub (system:kind:id → canonical id), read a page at a time through the ops API. */
async function allLinks(stack, token) {
  const out = new Map();
  let cursor = null;
  for (;;) {
    const q = new URLSearchParams({ limit: "500", ...(cursor ? { cursor } : {}) });
    const page = await json(`${stack.hub}/ops/api/links?${q}`, { headers: { authorization: `Bearer ${token}` } });
    for (const l of page.links) out.set(`${l.system}:${l.kind}:${l.externalId}`, l.canonicalId);
    if (!page.cursor) return out;
    cursor = page.cursor;
  }
}

/** Pairwise precision and recall of "same person" over the seeded person-like records. */
export function pairScores(truth, links) {
  const groups = (key) => {
    const m = new Map();
    for (const [ref, e] of Object.entries(truth)) {
      const k = key(ref, e);
      if (k === undefined) continue;
      m.set(k, [...(m.get(k) ?? []), ref]);
    }
    return m;
  };
  const pairs = (m) => {
    const s = new Set();
    for (const refs of m.values()) {
      const sorted = [...refs].sort();
      for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) s.add(`${sorted[i]}|${sorted[j]}`);
    }
    return s;
  };
  const truePairs = pairs(groups((_, e) => e));
  const predicted = pairs(groups((ref) => links.get(ref)));
  let hit = 0;
  for (const p of predicted) if (truePairs.has(p)) hit++;
  const r3 = (x) => Math.round(x * 10000) / 10000;
  return {
    precision: r3(predicted.size ? hit / predicted.size : 1),
    recall: r3(truePairs.size ? hit / truePairs.size : 1),
    truePairs: truePairs.size,
    predictedPairs: predicted.size,
  };
}

const LIMITS = {
  followupboss: { limit: 250, windowMs: 10_000 },
  dotloop: { limit: 100, windowMs: 60_000 },
  quickbooks: { limit: 500, windowMs: 60_000 },
};
const PHASE_VENDOR = {
  "crm.people": "followupboss",
  "crm.deals": "followupboss",
  "tms.transactions": "dotloop",
  "accounting.customers": "quickbooks",
};

export async function backfillBench(stack, { token, sizes, log }) {
  await json(`${stack.sandbox}/_sandbox/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  await connect(stack, token, "dotloop");
  await connect(stack, token, "quickbooks");
  const seededAt = Date.now();
  const seeded = await json(`${stack.sandbox}/_sandbox/seed/backfill`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ seed: 42, ...sizes, truth: true }),
  });
  log(`backfill: seeded ${JSON.stringify(seeded.counts)} records in ${Date.now() - seededAt} ms`);
  const started = Date.now();
  let s = await json(`${stack.hub}/ops/api/backfill`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  let lastLog = 0;
  while (s.status === "running") {
    await sleep(1000);
    s = await json(`${stack.hub}/ops/api/backfill?id=${s.id}`, { headers: { authorization: `Bearer ${token}` } });
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`backfill: ${s.phase}, ${s.records} records, ${s.etaSeconds === null ? "estimating" : `${s.etaSeconds} s left`}`);
    }
  }
  const wallMs = Date.now() - started;
  const out = {
    backfill_status: s.status,
    backfill_wall_s: Math.round(wallMs / 100) / 10,
    backfill_records: s.records,
    backfill_pages: s.pages,
  };
  // Calls per second against the limit, per vendor: the API calls made (OAuth token exchanges left
  // out) from the first call of that vendor's readers to the last page they staged
  // (reads[phase].startedAt .. doneAt, both of the vendor's readers for Follow Up Boss), divided by
  // that span in seconds, divided by the vendor's published limit per second. Linking runs after
  // or alongside and calls no vendor, so it is not in the span.
  for (const vendor of ["followupboss", "dotloop", "quickbooks"]) {
    const reads = Object.entries(s.reads ?? {}).filter(
      ([p, v]) => PHASE_VENDOR[p] === vendor && v.startedAt && v.doneAt && v.status === "done",
    );
    if (!reads.length) continue;
    const from = Math.min(...reads.map(([, v]) => v.startedAt));
    const to = Math.max(...reads.map(([, v]) => v.doneAt));
    const counters = await json(`${stack.sandbox}/_sandbox/${vendor}/counters`);
    const requests = await json(`${stack.sandbox}/_sandbox/${vendor}/requests`);
    const times = requests.filter((r) => !/oauth/.test(r.path) && r.at >= from && r.at <= to).map((r) => r.at);
    const hubCalls = reads.reduce((n, [, v]) => n + v.calls, 0);
    // The sandbox keeps its request log in memory, and loses it when its object restarts: the
    // larger of its count and the hub's own count of the readers' calls is the one reported.
    if (times.length < hubCalls)
      log(
        `backfill: the sandbox logged ${times.length} ${vendor} requests between ${from} and ${to} (log ${requests.length} entries, ${requests[0]?.at}..${requests.at(-1)?.at}), the hub counted ${hubCalls}; counting the hub's`,
      );
    const calls = Math.max(times.length, hubCalls);
    const span = Math.max(0.001, (to - from) / 1000);
    const limit = LIMITS[vendor].limit / (LIMITS[vendor].windowMs / 1000);
    out[`backfill_${vendor}_calls_counted_by`] = times.length >= hubCalls ? "sandbox" : "hub";
    out[`backfill_${vendor}_calls_sandbox_logged`] = times.length;
    out[`backfill_${vendor}_read_s`] = Math.round(span * 10) / 10;
    out[`backfill_${vendor}_calls`] = calls;
    out[`backfill_${vendor}_calls_per_s`] = Math.round((calls / span) * 100) / 100;
    out[`backfill_${vendor}_limit_per_s`] = Math.round(limit * 100) / 100;
    out[`backfill_${vendor}_utilization`] = Math.round((calls / span / limit) * 1000) / 1000;
    // A read shorter than the vendor's window can spend a whole window's allowance in less than
    // the window (the gate allows it; the vendor counts per window), so its ratio may pass 1.
    out[`backfill_${vendor}_read_within_one_window`] = span * 1000 < LIMITS[vendor].windowMs;
    out[`backfill_${vendor}_429s`] = counters.rateLimited ?? 0;
  }
  // Memory per chunk: the largest staged page (JSON bytes) a reader wrote and a linker message
  // holds, beside the records it carries.
  const staged = Object.values(s.reads ?? {});
  out.backfill_staged_page_bytes_max = Math.max(0, ...staged.map((v) => v.bytesMax ?? 0));
  const links = await allLinks(stack, token);
  const scores = pairScores(seeded.truth, links);
  Object.assign(out, {
    backfill_precision: scores.precision,
    backfill_recall: scores.recall,
    backfill_true_pairs: scores.truePairs,
    backfill_predicted_pairs: scores.predictedPairs,
  });
  const report = await json(`${stack.hub}/ops/api/backfill/report?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  Object.assign(out, {
    backfill_matched: report.counts.matched,
    backfill_ambiguous: report.counts.ambiguous,
    backfill_conflicting: report.counts.conflicting,
    backfill_unmatched: report.counts.unmatched,
  });
  // Largest chunk: one vendor page (≤ 100 records) per message, or the match phase's snapshot of
  // every person the run touched (its chunks each hold that snapshot).
  out.backfill_records_per_chunk_max = Math.max(100, report.counts.matched + report.counts.unmatched);
  return out;
}
