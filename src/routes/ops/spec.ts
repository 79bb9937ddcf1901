import { BackfillApply, BackfillQuery, BackfillReportQuery, BackfillStart } from "../../ops/backfill";
import type { RouteSpec } from "../../ops/openapi";
import {
  BulkReplay,
  DeadLetterFilter,
  Discard,
  IdParam,
  LinksQuery,
  AlertsQuery,
  ListQuery,
  MergeListQuery,
  RoiQuery,
  MappingAuditQuery,
  WebhookSync,
  SearchQuery,
} from "../../ops/schemas";
import { ListingsQuery } from "../../ops/listings";

/**
 * The ops API as data. Handlers take their path and schemas from here and the OpenAPI document is
 * generated from here, so documentation and validation are one thing.
 */
export const API = {
  searchRecords: { method: "post", path: "/records/search", tag: "records", summary: "Find people and deals by email, phone, name or any system's id (sent in the body, never the URL)", body: SearchQuery, returns: "{ people, deals }, each with its links." },
  getRecord: { method: "get", path: "/records/:id", tag: "records", summary: "A golden record with field provenance, links and trace timeline", params: IdParam, returns: "The record, its fields with provenance, links, events and traces.", errors: [404] },
  getEvent: { method: "get", path: "/events/:id", tag: "records", summary: "A canonical event with its data", params: IdParam, returns: "The event, its data and the actions applied for it.", errors: [404] },
  getDelivery: { method: "get", path: "/deliveries/:id", tag: "records", summary: "A webhook delivery with its raw payload", params: IdParam, returns: "The delivery, its payload as received, its events and traces.", errors: [404] },
  listDeadLetters: { method: "get", path: "/dead-letters", tag: "dead letters", summary: "Dead letters by status, vendor, code, queue and time", query: DeadLetterFilter, returns: "{ deadLetters, total, cursor }: one page, newest first; total is how many match the filter, cursor reads the next page (null on the last)." },
  getDeadLetter: { method: "get", path: "/dead-letters/:id", tag: "dead letters", summary: "A dead letter with every attempt and the original message", params: IdParam, returns: "The letter, its attempt history and payload.", errors: [404] },
  replayDeadLetter: { method: "post", path: "/dead-letters/:id/replay", tag: "dead letters", summary: "Re-send an open letter to its queue", params: IdParam, returns: "{ id, queue, queues, status: 'replayed' }: queues are where the message went (each inferred queue, for a message the platform moved raw).", errors: [404, 409, 503] },
  replayDeadLetters: { method: "post", path: "/dead-letters/replay", tag: "dead letters", summary: "Replay every open letter matching a filter or window (or all), paced", body: BulkReplay, returns: "{ matched, replayed, failed, remaining, done, perSecond, spreadSeconds, ids }: call again with the same filter until done (remaining 0)." },
  discardDeadLetter: { method: "post", path: "/dead-letters/:id/discard", tag: "dead letters", summary: "Close an open letter without replaying it", params: IdParam, body: Discard, returns: "{ id, status: 'discarded' }.", errors: [404, 409] },
  listLinks: { method: "get", path: "/links", tag: "records", summary: "ID links between canonical records and each system", query: LinksQuery, returns: "{ links, total, cursor }: one page, newest first; total is how many match, cursor reads the next page (null on the last)." },
  listDrift: { method: "get", path: "/drift", tag: "operations", summary: "Schema drift seen in source payloads", query: ListQuery, returns: "{ drift, total, cursor }: one page, most recently seen first; total is how many there are, cursor reads the next page (null on the last)." },
  listMerges: { method: "get", path: "/merges", tag: "merges", summary: "Merge proposals from the nightly dedupe", query: MergeListQuery, returns: "{ proposals, total, cursor }: one page, best score first, with both people; total is how many have the status, cursor reads the next page (null on the last)." },
  approveMerge: { method: "post", path: "/merges/:id/approve", tag: "merges", summary: "Merge the later-created person into the earlier one and note it in the CRM", params: IdParam, returns: "{ proposalId, survivor, loser, rule, crmNote }.", errors: [404, 409] },
  rejectMerge: { method: "post", path: "/merges/:id/reject", tag: "merges", summary: "Reject a merge proposal", params: IdParam, returns: "{ proposalId, status: 'rejected' }.", errors: [404, 409] },
  health: { method: "get", path: "/health", tag: "operations", summary: "Connection health, last poll and vendor gate counters", returns: "{ connections }." },
  alerts: { method: "get", path: "/alerts", tag: "operations", summary: "Alerts and their notification log", query: AlertsQuery, returns: "{ alerts, total, cursor, log, logTotal, logCursor }: a page of alerts (most recently fired first) and a page of the log (newest first), each with its total and next cursor." },
  overview: { method: "get", path: "/overview", tag: "operations", summary: "Throughput per stage (24 h), backlog and dead-letter counts", returns: "{ stages, intake, backlog, deadLetters, firingAlerts, heartbeats }." },
  roi: { method: "get", path: "/reports/roi", tag: "reports", summary: "Lead-source ROI per source and period", query: RoiQuery, returns: "{ from, to, period, rows, bySource, total }." },
  webhooks: { method: "get", path: "/webhooks", tag: "operations", summary: "The hub's webhook registrations in each vendor, and what a sync would change", returns: "{ hubUrl, dryRun: true, vendors: [{ vendor, connection, url, actions }], consoles: [{ vendor, where, url, events, settings }] }." },
  syncWebhooks: { method: "post", path: "/webhooks/sync", tag: "operations", summary: "Register, repoint or remove the hub's webhooks in every vendor whose API allows it", body: WebhookSync, returns: "{ hubUrl, dryRun, vendors: [{ vendor, connection, url, actions: [{ kind, id?, events, url, done, error? }], error? }], consoles }: vendors configured only in their own console are listed with what to enter there." },
  mappingAudit: { method: "get", path: "/mapping/audit", tag: "operations", summary: "The mapping audit: sample records of each connected system beside the canonical record and what the hub would write (read only, values masked)", query: MappingAuditQuery, returns: "{ generatedAt, systems, rows: [{ system, object, id, fields, canonical, wouldWrite }], findings: [{ kind, system, field, detail, suggestions? }] }; with format=md or csv, that text." },
  doctor: { method: "get", path: "/doctor", tag: "operations", summary: "Check every active connection's live account, read-only, against what the flows assume", returns: "{ hubUrl, ok, failed, checkedAt, checks: [{ connection, vendor, id, name, status: 'pass'|'fail'|'skip', detail, fix? }] }: ok is false when any check failed; a skip names the failed check it needs." },
  listings: { method: "get", path: "/listings", tag: "operations", summary: "MLS listings replicated from RESO feeds, and each replication run's progress", query: ListingsQuery, returns: "{ replication: [{ connection, run, phase, status, pages, records, rejected, removed, cursor, resumesFrom, lastPageBytes, startedAt, completedAt, updatedAt, error }], total, listings: [{ …, listAgent, listOffice, listAgentMember, listOfficeRecord }] } (the agent and office from the replicated Member and Office records when the feed names them)." },
  backfillStatus: { method: "get", path: "/backfill", tag: "backfill", summary: "A backfill run: phase, counts per phase, time left", query: BackfillQuery, returns: "{ id, status, phase, records, share, etaSeconds, progress }.", errors: [404] },
  startBackfill: { method: "post", path: "/backfill", tag: "backfill", summary: "Start the read-only day-one backfill, or resume a failed run", body: BackfillStart, returns: "The run, as GET /backfill.", errors: [404, 409] },
  backfillReport: { method: "get", path: "/backfill/report", tag: "backfill", summary: "The reconciliation report (JSON, Markdown or CSV)", query: BackfillReportQuery, returns: "{ run, counts, ambiguous, conflicts, unmatched, writebacks }.", errors: [404] },
  applyBackfill: { method: "post", path: "/backfill/apply", tag: "backfill", summary: "Push a reviewed run's links and values through the normal flows", body: BackfillApply, returns: "{ id, transactionIds, contacts }.", errors: [404, 409] },
  openapi: { method: "get", path: "/openapi.json", tag: "meta", summary: "This document", returns: "An OpenAPI 3.1 document." },
} as const satisfies Record<string, RouteSpec>;
