import type { RouteDoc } from "../../ops/openapi";
import type { API } from "./spec";

/** What the OpenAPI document says of each route of `API` (every route has its entry). */
export const API_DOCS = {
  searchRecords: {
    tag: "records",
    summary: "Find people and deals by email, phone, name or any system's id (sent in the body, never the URL)",
    returns: "{ people, deals }, each with its links.",
  },
  getRecord: {
    tag: "records",
    summary: "A golden record with field provenance, links and trace timeline",
    returns: "The record, its fields with provenance, links, events and traces.",
    errors: [404],
  },
  getEvent: {
    tag: "records",
    summary: "A canonical event with its data",
    returns: "The event, its data and the actions applied for it.",
    errors: [404],
  },
  getDelivery: {
    tag: "records",
    summary: "A webhook delivery with its raw payload",
    returns: "The delivery, its payload as received, its events and traces.",
    errors: [404],
  },
  listDeadLetters: {
    tag: "dead letters",
    summary: "Dead letters by status, vendor, code, queue and time",
    returns:
      "{ deadLetters, total, cursor }: one page, newest first; total is how many match the filter, cursor reads the next page (null on the last).",
  },
  getDeadLetter: {
    tag: "dead letters",
    summary: "A dead letter with every attempt and the original message",
    returns: "The letter, its attempt history and payload.",
    errors: [404],
  },
  replayDeadLetter: {
    tag: "dead letters",
    summary: "Re-send an open letter to its queue",
    returns:
      "{ id, queue, queues, status: 'replayed' }: queues are where the message went (each inferred queue, for a message the platform moved raw).",
    errors: [404, 409, 503],
  },
  replayDeadLetters: {
    tag: "dead letters",
    summary: "Replay every open letter matching a filter or window (or all), paced",
    returns:
      "{ matched, replayed, failed, remaining, done, perSecond, spreadSeconds, ids }: call again with the same filter spreadSeconds later (each call paces from its first message) until done (remaining 0).",
  },
  discardDeadLetter: {
    tag: "dead letters",
    summary: "Close an open letter without replaying it",
    returns: "{ id, status: 'discarded' }.",
    errors: [404, 409],
  },
  listLinks: {
    tag: "records",
    summary: "ID links between canonical records and each system",
    returns: "{ links, total, cursor }: one page, newest first; total is how many match, cursor reads the next page (null on the last).",
  },
  listDrift: {
    tag: "operations",
    summary: "Schema drift seen in source payloads",
    returns:
      "{ drift, total, cursor }: one page, most recently seen first; total is how many there are, cursor reads the next page (null on the last).",
  },
  listMerges: {
    tag: "merges",
    summary: "Merge proposals from the nightly dedupe",
    returns:
      "{ proposals, total, cursor }: one page, best score first, with both people; total is how many have the status, cursor reads the next page (null on the last).",
  },
  approveMerge: {
    tag: "merges",
    summary: "Merge the later-created person into the earlier one and note it in the CRM",
    returns: "{ proposalId, survivor, loser, rule, crmNote }.",
    errors: [404, 409],
  },
  rejectMerge: {
    tag: "merges",
    summary: "Reject a merge proposal",
    returns: "{ proposalId, status: 'rejected' }.",
    errors: [404, 409],
  },
  health: {
    tag: "operations",
    summary: "Connection health, last poll and vendor gate counters",
    returns: "{ connections }; the MLS feed's replication: the listings run's lag and progress, and under runs every watched run's.",
  },
  alerts: {
    tag: "operations",
    summary: "Alerts and their notification log",
    returns:
      "{ alerts, total, cursor, log, logTotal, logCursor }: a page of alerts (most recently fired first) and a page of the log (newest first), each with its total and next cursor.",
  },
  resolveAlert: {
    tag: "operations",
    summary: "Resolve a firing alert by hand, with a reason; the recovery is notified naming who and why",
    returns: "{ key, state: 'resolved' }. A check that still sees the condition fires the alert again.",
    errors: [404, 409],
  },
  overview: {
    tag: "operations",
    summary: "Throughput per stage (24 h), backlog and dead-letter counts",
    returns: "{ stages, intake, backlog, deadLetters, firingAlerts (the 20 latest), firingAlertsTotal, heartbeats }.",
  },
  roi: {
    tag: "reports",
    summary: "Lead-source ROI per source and period",
    returns: "{ from, to, period, rows, bySource, total }.",
  },
  webhooks: {
    tag: "operations",
    summary: "The hub's webhook registrations in each vendor, and what a sync would change",
    returns:
      "{ hubUrl, dryRun: true, vendors: [{ vendor, connection, url, actions }], consoles: [{ vendor, where, url, events, settings }] }.",
  },
  syncWebhooks: {
    tag: "operations",
    summary: "Register, repoint or remove the hub's webhooks in every vendor whose API allows it",
    returns:
      "{ hubUrl, dryRun, vendors: [{ vendor, connection, url, actions: [{ kind, id?, events, url, done, error? }], error? }], consoles }: vendors configured only in their own console are listed with what to enter there.",
    errors: [404],
  },
  mappingAudit: {
    tag: "operations",
    summary:
      "The mapping audit: sample records of each connected system beside the canonical record and what the hub would write (read only, values masked)",
    returns:
      "{ generatedAt, systems, rows: [{ system, object, id, fields, canonical, wouldWrite }], findings: [{ kind, system, field, detail, suggestions? }] }; with format=md or csv, that text.",
  },
  doctor: {
    tag: "operations",
    summary: "Check every active connection's live account, read-only, against what the flows assume",
    returns:
      "{ hubUrl, ok, failed, checkedAt, checks: [{ connection, vendor, id, name, status: 'pass'|'fail'|'skip', detail, fix? }] }: ok is false when any check failed; a skip names the failed check it needs.",
  },
  listings: {
    tag: "operations",
    summary: "MLS listings replicated from RESO feeds, and each replication run's progress",
    returns:
      "{ replication: [{ connection, run, phase, status, pages, records, rejected, removed, cursor, resumesFrom, lastPageBytes, startedAt, completedAt, updatedAt, error }], total, listings: [{ …, listAgent, listOffice, listAgentMember, listOfficeRecord }] } (the agent and office from the replicated Member and Office records when the feed names them).",
  },
  backfillStatus: {
    tag: "backfill",
    summary: "A backfill run: phase, counts per phase, time left",
    returns: "{ id, status, phase, records, share, etaSeconds, progress }.",
    errors: [404],
  },
  startBackfill: {
    tag: "backfill",
    summary: "Start the read-only day-one backfill, or resume a failed run",
    returns: "The run, as GET /backfill.",
    errors: [404, 409, 503],
  },
  backfillReport: {
    tag: "backfill",
    summary: "The reconciliation report (JSON, Markdown or CSV)",
    returns: "{ run, counts, ambiguous, conflicts, unmatched, writebacks }.",
    errors: [404],
  },
  applyBackfill: {
    tag: "backfill",
    summary: "Push a reviewed run's links and values through the normal flows",
    returns: "{ id, transactionIds, contacts }.",
    errors: [404, 409, 503],
  },
} as const satisfies Record<keyof typeof API, RouteDoc>;
