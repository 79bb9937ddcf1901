/**
 * Test files onto `shards` shards so they end together: longest first, each onto the shard with
 * the least time so far (by `seconds`, a recorded run's time per file; a file it does not know
 * counts as the median of those it does). Returns each shard's files, in path order.
 */
export function planShards(files, seconds, shards) {
  const known = files
    .map((f) => seconds[f])
    .filter((s) => typeof s === "number")
    .sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)] : 1;
  const cost = (f) => (typeof seconds[f] === "number" ? seconds[f] : median);
  const plan = Array.from({ length: shards }, () => ({ files: [], total: 0 }));
  for (const f of [...files].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b))) {
    const least = plan.reduce((min, s) => (s.total < min.total ? s : min));
    least.files.push(f);
    least.total += cost(f);
  }
  return plan.map((s) => s.files.sort());
}
