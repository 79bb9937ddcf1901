/**
 * Whether page message `seq` is the retry of a page that was applied but whose next page may
 * never have been queued: its own delivery failed after the run moved on to seq + 1 (the send
 * threw, the invocation died). That retry queues the next page again, or the run would wait for
 * the cron to notice. A first delivery that finds its page applied is a copy (a resume, a
 * duplicate): it stays quiet, so copies never breed copies; at worst a retry duplicates a next
 * page that did get queued, and the page's compare-and-set applies it once.
 */
export function needsHandOff(state: { status: string; seq: number }, seq: number, attempts: number): boolean {
  return attempts > 1 && state.status === "running" && state.seq === seq + 1;
}
