import { deliverPendingAlerts, fireAlert, resolveAlert } from "../alerts";
import { parseCanonicalEvent } from "../canonical";
import { drainParkedLetters } from "../queues/dead-letter-store";
import { emit, emitRecorded } from "../queues/emit";
import { enqueue, requeueInbound, sendRecorded } from "../queues/send";
import type { BrokerageConfig } from "../config/brokerage";
import { activeConnections, monitoredConnections } from "../config/connections";
import { verifiable, webhookConfigAlertKey } from "../config/sources";
import { SourceName } from "../canonical/primitives";
import { brokerageConfig } from "../config/load";
import { log, errorDetail } from "../lib/log";
import { parseJsonOr } from "../lib/json";
import { CLAIM_TTL_MS, markLeadsRepublished } from "../store/applied";
import { lastPolled } from "../store/cursors";
import { reopenUnsentAndCountOpen } from "../store/dead-letters";
import { stalledLeads } from "../store/events";
import { lastBeat, recordBeat } from "../store/heartbeats";
import { purgeAuthState } from "../store/ops-sessions";
import { strandedDeliveries } from "../store/journal";
import { unsentEvents } from "../store/outbox";
import { continueDedupeRun, startDedupeRun } from "./dedupe-job";
import { scheduleMls } from "./mls";
import { lagging } from "../mls/lag";
import { watchedRuns } from "../mls/watched-runs";
import { RUN_LISTINGS } from "../queues/messages";
import { purgeExpired } from "./retention";
import { pollQueueOf } from "../queues/routing";
import { heartbeatMissed, pollDue } from "./schedule";

const FIVE_MINUTES = 5 * 60_000;
const ONE_DAY = 86_400_000;

/**
 * Alerts while the MLS copy is behind, stalled or never started, the listings' and each roster's
 * (Member, Office) on its own, and the keys-only pass's once it has started (after the first
 * sync; due every `keysEveryMinutes`); resolves once it is current.
 */
export async function watchReplication(env: Env, config: BrokerageConfig, now: number): Promise<void> {
  const conn = config.mls ? config.connections.find((c) => c.id === config.mls) : undefined;
  if (!conn) return;
  for (const { run, lag } of await watchedRuns(env.DB, conn, now)) {
    const [key, what] = run === RUN_LISTINGS ? [`mls_lag:${conn.id}`, "MLS"] : [`mls_lag:${conn.id}:${run}`, `MLS ${run}`];
    if (lagging(lag))
      await fireAlert(
        env,
        { key, severity: "warning", title: `${conn.id}: ${what} replication ${lag.state.replace("_", " ")}`, detail: lag.detail },
        config.alerts.minIntervalSeconds,
      );
    else await resolveAlert(env, key, `${conn.id}: ${what} replication is current`);
  }
}

/** Raises or resolves the alert of a run whose heartbeat is late; `beat` records this run's. */
async function heartbeat(env: Env, name: string, intervalMs: number, now: number, beat = true): Promise<void> {
  const prev = await lastBeat(env.DB, name);
  if (heartbeatMissed(prev, intervalMs, now)) {
    await fireAlert(env, {
      key: `heartbeat_missed:${name}`,
      severity: "warning",
      title: `Scheduled run ${name} was missed`,
      detail: `last run ${new Date(prev ?? 0).toISOString()}`,
    });
  } else {
    await resolveAlert(env, `heartbeat_missed:${name}`, `Scheduled run ${name} is back`);
  }
  if (beat) await recordBeat(env.DB, name, now);
}

/**
 * Enqueues a health check of every active connection and the MLS feed on its vendor's queue, where the consumer
 * calls a cheap endpoint through the connection's gate, records latency and status, and alerts.
 */
export async function enqueueHealthChecks(env: Env, config: BrokerageConfig, now: number): Promise<number> {
  const active = monitoredConnections(config);
  for (const conn of active) await enqueue(env, pollQueueOf(conn.vendor), { v: 1, kind: "health", connection: conn.id, at: now });
  return active.length;
}

/** Re-enqueues journaled deliveries whose queue message was lost (INTAKE_JOURNAL=on only). */
export async function requeueStranded(env: Env, now: number): Promise<number> {
  if (env.INTAKE_JOURNAL !== "on") return 0;
  const stranded = await strandedDeliveries(env.DB, now - 60_000);
  await requeueInbound(
    env,
    stranded.map((s) => JSON.parse(s.message) as unknown),
  );
  if (stranded.length) log("warn", "intake_requeued", { count: stranded.length });
  return stranded.length + (await republishStalledLeads(env, now));
}

/** Raises the critical alert `key` naming stored rows the hub cannot read back; they wait for an operator. */
async function alertUnreadable(env: Env, key: string, title: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  log("error", key, { eventIds: ids.join(",").slice(0, 500) });
  await fireAlert(env, { key, severity: "critical", title, detail: `${ids.length} do not parse: ${ids.join(", ")}`.slice(0, 500) });
}

/** How long a republished lead is left to its copy before it is republished again. */
const REPUBLISH_EVERY_MS = 10 * 60_000;

/**
 * Leads ingested but never applied to the CRM after two minutes (and not dead-lettered: a refused
 * lead waits for its operator, not for another copy): their crm-queue message was
 * lost with the local runtime's memory. Republished; the CRM step is claimed once per event, so a
 * lead that is merely slow (retrying) is not applied twice. A lead whose claim was left unfinished
 * for longer than a claim lives was being applied by a worker that died with its message (a
 * restart mid-action): it is republished too, and its copy takes the claim over. A lead is
 * republished at most once per REPUBLISH_EVERY_MS: a lead only waiting on its retry ladder (a
 * vendor down) would otherwise be copied again on every cron run.
 */
async function republishStalledLeads(env: Env, now: number): Promise<number> {
  const results = await stalledLeads(env.DB, {
    recordedBefore: now - 120_000,
    recordedAfter: now - 86_400_000,
    claimLapsedBefore: now - CLAIM_TTL_MS,
    republishedSince: now - REPUBLISH_EVERY_MS,
  });
  const unreadable: string[] = [];
  const leads = results.flatMap((r) => {
    const event = parseCanonicalEvent({
      id: r.id,
      type: r.type,
      schemaVersion: 1,
      occurredAt: r.occurred_at,
      receivedAt: r.received_at,
      source: { system: r.source_system, deliveryId: r.delivery_id },
      subject: { kind: r.subject_kind, ...(r.subject_ext_id ? { externalId: r.subject_ext_id } : {}) },
      data: parseJsonOr(r.data, undefined),
    });
    if (event.ok) return [event.value];
    unreadable.push(r.id);
    return [];
  });
  // A lead the CRM never got that cannot be sent again is raised while it waits (within a day),
  // not skipped: the agent would never hear of it.
  await alertUnreadable(env, "stalled_lead_unreadable", "Stalled leads cannot be read to send again", unreadable);
  await emit(env, leads);
  if (leads.length) {
    await markLeadsRepublished(
      env.DB,
      leads.map((e) => e.id),
      now,
    );
  }
  if (leads.length) log("warn", "leads_republished", { count: leads.length });
  return leads.length;
}

/** How long a recorded follow-on event is left to the consumer that recorded it before cron sends it. */
const OUTBOX_GRACE_MS = 60_000;

/**
 * Sends the follow-on events and jobs a consumer recorded with a change (src/store/outbox.ts) and
 * did not get sent: the send failed after the change committed, or the consumer died in between.
 * Ids are stable and consumers apply each once, so one sent twice changes nothing. A row that no
 * longer parses stays, and alerts; a job naming no queue of the hub stays and fails the step.
 */
export async function sendUnsentEvents(env: Env, now: number): Promise<number> {
  const { events, jobs, unreadable } = await unsentEvents(env.DB, now - OUTBOX_GRACE_MS, 100);
  // The rows stay until an operator removes or repairs them; the alert lasts as long as they do.
  if (unreadable.length > 0)
    await alertUnreadable(env, "outbox_unreadable", "Recorded events that cannot be read are waiting to be sent", unreadable);
  else await resolveAlert(env, "outbox_unreadable", "No unreadable events wait in the outbox");
  const sent = await emitRecorded(env, events);
  await sendRecorded(env, jobs);
  const recovered = events.length + jobs.length;
  if (recovered > 0) log("warn", "outbox_sent", { count: recovered, messages: sent });
  return recovered;
}

/** Enqueues a backup poll for every connection whose interval has passed. */
export async function enqueuePolls(env: Env, config: BrokerageConfig, now: number): Promise<number> {
  let n = 0;
  for (const conn of activeConnections(config)) {
    if (!pollDue(conn, await lastPolled(env.DB, conn.id), now)) continue;
    await enqueue(env, pollQueueOf(conn.vendor), { v: 1, kind: "poll", connection: conn.id, at: now });
    n++;
  }
  return n;
}

/**
 * Raises (or resolves) the alert that dead letters wait for an operator, after reopening those
 * claimed for a replay an hour ago that never went (a replay sends within seconds of its claim).
 */
async function alertOpenDeadLetters(env: Env, config: BrokerageConfig, now: number): Promise<void> {
  const open = await reopenUnsentAndCountOpen(env.DB, now - 3_600_000);
  if (open > 0) {
    await fireAlert(
      env,
      { key: "dead_letters:open", severity: "warning", title: `${open} dead letters need attention`, detail: "see /ops/dead-letters" },
      config.alerts.minIntervalSeconds,
    );
  } else {
    await resolveAlert(env, "dead_letters:open", "No open dead letters");
  }
}

/** Resolves the refused-webhooks alert of each source the hub can verify again (raised by the intake). */
async function resolveWebhookConfig(env: Env): Promise<void> {
  for (const source of SourceName.options) {
    if (verifiable(env, source)) await resolveAlert(env, webhookConfigAlertKey(source), `Webhooks from ${source} verify again`);
  }
}

/** Runs a scheduled run's steps so that one failing does not stop the others, and says which failed. */
function stepRunner(): { step: <T>(name: string, run: () => Promise<T>, otherwise: T) => Promise<T>; failed: string[] } {
  const failed: string[] = [];
  const step = async <T>(name: string, run: () => Promise<T>, otherwise: T): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      failed.push(name);
      log("error", "cron_step_failed", { step: name, error: errorDetail(err, 300) });
      return otherwise;
    }
  };
  return { step, failed };
}

/**
 * Raises the run's alert when steps failed and ends the run in an error (the Cron Events log
 * shows it); resolves the alert once a run of that schedule succeeds whole.
 */
async function settleRun(env: Env, run: "every-5-minutes" | "nightly", failed: readonly string[]): Promise<void> {
  // The five-minute run's key predates the nightly one's and is kept for the alerts it has.
  const key = run === "nightly" ? "cron_steps_failed:nightly" : "cron_steps_failed";
  if (failed.length > 0) {
    await fireAlert(env, {
      key,
      severity: "critical",
      title: `Steps of the ${run} run failed`,
      detail: `${failed.join(", ")} failed; the other steps ran. See cron_step_failed in Workers Logs.`,
    });
    throw new Error(`scheduled run: ${failed.join(", ")} failed`);
  }
  await resolveAlert(env, key, `Every step of the ${run} run succeeded`);
}

/**
 * Cron dispatch. Every 5 minutes: heartbeat, health checks, backup polls, dead-letter watch, the
 * outbox. Nightly: retention purge and fuzzy dedupe. In either, a step that fails does not stop
 * the others, and raises the run's alert. Cron only enqueues or records (D1, KV, alerts); every
 * vendor call (health pings, polls, MLS pages, auto-merge notes) is a queue job.
 */
export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = controller.scheduledTime || Date.now();
  const { step, failed } = stepRunner();
  // A configuration that does not load fails its own step, so the run still beats, delivers and
  // raises alerts, and retries what needs no configuration; the steps that need it are skipped.
  const config = await step("brokerageConfig", async () => brokerageConfig(env), null);
  const withConfig = <T>(name: string, run: (c: BrokerageConfig) => Promise<T>, otherwise: T) =>
    config ? step(name, () => run(config), otherwise) : otherwise;
  if (controller.cron === "0 7 * * *") {
    await step("heartbeat", () => heartbeat(env, "nightly", ONE_DAY, now), undefined);
    await withConfig("purgeExpired", (c) => purgeExpired(env, c, now), undefined);
    // Sign-in also clears these, but an operator behind Access or using only the API never signs in.
    await step("purgeAuthState", () => purgeAuthState(env.DB, now, ONE_DAY), undefined);
    await step("startDedupeRun", () => startDedupeRun(env, now), undefined);
    await settleRun(env, "nightly", failed);
    return;
  }
  await step("heartbeat", () => heartbeat(env, "every-5-minutes", FIVE_MINUTES, now), undefined);
  // A nightly schedule that stopped firing has no run of its own to say so.
  await step("watchNightly", () => heartbeat(env, "nightly", ONE_DAY, now, false), undefined);
  // A queue or vendor down for one step (the outbox's sends, say) must not also stop the backup
  // polls, the MLS schedule and the health checks.
  await withConfig("drainParkedLetters", (c) => drainParkedLetters(env, c.connections), undefined);
  await step("deliverPendingAlerts", () => deliverPendingAlerts(env, now), undefined);
  await step("requeueStranded", () => requeueStranded(env, now), undefined);
  await step("sendUnsentEvents", () => sendUnsentEvents(env, now), 0);
  const polls = await withConfig("enqueuePolls", (c) => enqueuePolls(env, c, now), 0);
  const mls = await withConfig("scheduleMls", (c) => scheduleMls(env, c, now), []);
  const checks = await withConfig("enqueueHealthChecks", (c) => enqueueHealthChecks(env, c, now), 0);
  await withConfig("watchReplication", (c) => watchReplication(env, c, now), undefined);
  await withConfig("deadLetterAlert", (c) => alertOpenDeadLetters(env, c, now), undefined);
  await withConfig("continueDedupeRun", (c) => continueDedupeRun(env, c, Date.now()), undefined);
  await step("resolveWebhookConfig", () => resolveWebhookConfig(env), undefined);
  await settleRun(env, "every-5-minutes", failed);
  log("info", "cron", { cron: controller.cron, polls, mls: mls.length, checks });
}
