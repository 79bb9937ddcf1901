import { BackfillApply, BackfillQuery, BackfillReportQuery, BackfillStart } from "../../ops/backfill";
import type { RouteShape } from "../../ops/openapi";
import {
  AlertKeyParam,
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
 * generated from here with the words of `spec-docs.ts`, so documentation and validation are one
 * thing; the words stay out of the Worker, which serves the generated document.
 */
export const API = {
  searchRecords: {
    method: "post",
    path: "/records/search",
    body: SearchQuery,
  },
  getRecord: {
    method: "get",
    path: "/records/:id",
    params: IdParam,
  },
  getEvent: {
    method: "get",
    path: "/events/:id",
    params: IdParam,
  },
  getDelivery: {
    method: "get",
    path: "/deliveries/:id",
    params: IdParam,
  },
  listDeadLetters: {
    method: "get",
    path: "/dead-letters",
    query: DeadLetterFilter,
  },
  getDeadLetter: {
    method: "get",
    path: "/dead-letters/:id",
    params: IdParam,
  },
  replayDeadLetter: {
    method: "post",
    path: "/dead-letters/:id/replay",
    params: IdParam,
  },
  replayDeadLetters: {
    method: "post",
    path: "/dead-letters/replay",
    body: BulkReplay,
  },
  discardDeadLetter: {
    method: "post",
    path: "/dead-letters/:id/discard",
    params: IdParam,
    body: Discard,
  },
  listLinks: {
    method: "get",
    path: "/links",
    query: LinksQuery,
  },
  listDrift: {
    method: "get",
    path: "/drift",
    query: ListQuery,
  },
  listMerges: {
    method: "get",
    path: "/merges",
    query: MergeListQuery,
  },
  approveMerge: {
    method: "post",
    path: "/merges/:id/approve",
    params: IdParam,
  },
  rejectMerge: {
    method: "post",
    path: "/merges/:id/reject",
    params: IdParam,
  },
  health: {
    method: "get",
    path: "/health",
  },
  alerts: {
    method: "get",
    path: "/alerts",
    query: AlertsQuery,
  },
  resolveAlert: {
    method: "post",
    path: "/alerts/:key/resolve",
    params: AlertKeyParam,
    body: Discard,
  },
  overview: {
    method: "get",
    path: "/overview",
  },
  roi: {
    method: "get",
    path: "/reports/roi",
    query: RoiQuery,
  },
  webhooks: {
    method: "get",
    path: "/webhooks",
  },
  syncWebhooks: {
    method: "post",
    path: "/webhooks/sync",
    body: WebhookSync,
  },
  mappingAudit: {
    method: "get",
    path: "/mapping/audit",
    query: MappingAuditQuery,
  },
  doctor: {
    method: "get",
    path: "/doctor",
  },
  listings: {
    method: "get",
    path: "/listings",
    query: ListingsQuery,
  },
  backfillStatus: {
    method: "get",
    path: "/backfill",
    query: BackfillQuery,
  },
  startBackfill: {
    method: "post",
    path: "/backfill",
    body: BackfillStart,
  },
  backfillReport: {
    method: "get",
    path: "/backfill/report",
    query: BackfillReportQuery,
  },
  applyBackfill: {
    method: "post",
    path: "/backfill/apply",
    body: BackfillApply,
  },
} as const satisfies Record<string, RouteShape>;
