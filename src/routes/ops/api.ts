import { honoApp } from "../router";
import { AppError, problem } from "../../lib/errors";
import { fromAnotherSite, requestId } from "../app";
import { alertHistory, driftRecords, findLinks, overview } from "../../ops/activity";
import { resolveAlertByHand } from "../../ops/alerts";
import { deadLetterDetail, discardDeadLetter, findDeadLetters, replayDeadLetter, replayMatching } from "../../ops/dead-letters";
import { applyBackfill, reportOrMissing, startOrResume, statusOrMissing } from "../../ops/backfill";
import { reportCsv, reportMarkdown } from "../../backfill/report";
import { connectionHealth } from "../../ops/health";
import { approveMerge, listMergeProposals, rejectMerge } from "../../ops/merges";
import type { Outcome } from "../../lib/outcome";
import { deliveryDetail, eventDetail, recordDetail, searchRecords } from "../../ops/records";
import { roiReport } from "../../ops/roi";
import { runMappingAudit } from "../../ops/mapping-audit";
import { auditCsv, auditMarkdown } from "../../mapping/audit";
import { listingsReport } from "../../ops/listings";
import { syncWebhooks } from "../../ops/webhooks";
import { runDoctor } from "../../ops/doctor";
import { hubUrlOf } from "../hub-url";
import { requireApiAuth, type OpsEnv } from "./auth";
import { jsonBody, params, validate } from "./input";
import { API } from "./spec";
import type * as z from "../../lib/zod";

function found<T>(value: T | null, what: string, id: string): T {
  if (value === null) throw new AppError("not_found", `No ${what} ${id}.`);
  return value;
}

function settled<T>(o: Outcome<T>): T {
  if (!o.ok) throw new AppError(o.code, o.message);
  return o.value;
}

/** The admin API (`/ops/api/...`): bearer token or Access JWT on every route. */
export const api = honoApp<OpsEnv>();
api.use("*", requireApiAuth);

/** A GET answered with what `read` finds in D1 for the route's validated query. */
function answerQuery<S extends z.ZodMiniType>(
  route: { path: string; query: S },
  read: (db: D1Database, q: z.output<S>) => Promise<object>,
) {
  api.get(route.path, async (c) => c.json(await read(c.env.DB, validate(route.query, c.req.query(), "query"))));
}

api.post(API.searchRecords.path, async (c) => {
  const q = validate(API.searchRecords.body, await jsonBody(c.req.raw), "body");
  return c.json(await searchRecords(c.env.DB, q.q, q.limit ?? 25));
});

// The old search put emails and phones in the query string; it is refused, not served.
api.all("/records", (c) => {
  c.set("code", "method_not_allowed");
  return c.json(
    problem(
      "method_not_allowed",
      "Search with POST /ops/api/records/search and a JSON body {q}; personal data is kept out of URLs.",
      requestId(c),
    ),
    405,
    { "content-type": "application/problem+json", allow: "POST" },
  );
});

api.get(API.getRecord.path, async (c) => {
  const { id } = params(API.getRecord.params, c.req.param());
  return c.json(found(await recordDetail(c.env.DB, id), "record", id));
});

api.get(API.getEvent.path, async (c) => {
  const { id } = params(API.getEvent.params, c.req.param());
  return c.json(found(await eventDetail(c.env.DB, id), "event", id));
});

api.get(API.getDelivery.path, async (c) => {
  const { id } = params(API.getDelivery.params, c.req.param());
  return c.json(found(await deliveryDetail(c.env.DB, id), "delivery", id));
});

answerQuery(API.listings, listingsReport);

answerQuery(API.listDeadLetters, findDeadLetters);

api.get(API.getDeadLetter.path, async (c) => {
  const { id } = params(API.getDeadLetter.params, c.req.param());
  return c.json(found(await deadLetterDetail(c.env.DB, id), "dead letter", id));
});

api.post(API.replayDeadLetters.path, async (c) => {
  const body = validate(API.replayDeadLetters.body, await jsonBody(c.req.raw), "body");
  return c.json(await replayMatching(c.env, body, c.get("actor")));
});

api.post(API.replayDeadLetter.path, async (c) => {
  const { id } = params(API.replayDeadLetter.params, c.req.param());
  return c.json(settled(await replayDeadLetter(c.env, id, c.get("actor"))));
});

api.post(API.discardDeadLetter.path, async (c) => {
  const { id } = params(API.discardDeadLetter.params, c.req.param());
  const { reason } = validate(API.discardDeadLetter.body, await jsonBody(c.req.raw), "body");
  return c.json(settled(await discardDeadLetter(c.env.DB, id, reason, c.get("actor"))));
});

answerQuery(API.listLinks, findLinks);

answerQuery(API.listDrift, driftRecords);

answerQuery(API.listMerges, listMergeProposals);

api.post(API.approveMerge.path, async (c) => {
  const { id } = params(API.approveMerge.params, c.req.param());
  return c.json(settled(await approveMerge(c.env, id, c.get("actor"))));
});

api.post(API.rejectMerge.path, async (c) => {
  const { id } = params(API.rejectMerge.params, c.req.param());
  return c.json(settled(await rejectMerge(c.env.DB, id, c.get("actor"))));
});

api.get(API.health.path, async (c) => c.json({ connections: await connectionHealth(c.env) }));

answerQuery(API.alerts, alertHistory);

api.post(API.resolveAlert.path, async (c) => {
  const { key } = params(API.resolveAlert.params, c.req.param());
  const { reason } = validate(API.resolveAlert.body, await jsonBody(c.req.raw), "body");
  return c.json(settled(await resolveAlertByHand(c.env, key, reason, c.get("actor"))));
});

api.get(API.overview.path, async (c) => c.json(await overview(c.env.DB)));

answerQuery(API.roi, roiReport);

api.get(API.webhooks.path, async (c) => c.json(await syncWebhooks(c.env, hubUrlOf(c.env, c.req.url), { dryRun: true })));

api.post(API.syncWebhooks.path, async (c) => {
  const body = validate(API.syncWebhooks.body, await jsonBody(c.req.raw), "body");
  const r = await syncWebhooks(c.env, hubUrlOf(c.env, c.req.url), {
    dryRun: body.dryRun,
    ...(body.connection ? { only: body.connection } : {}),
  });
  // A connection that names nothing the hub registers (a typo, a console-only vendor) is not a success.
  if (body.connection && r.vendors.length === 0)
    throw new AppError("not_found", `No active connection '${body.connection}' whose webhooks the hub registers.`);
  return c.json(r);
});

api.get(API.mappingAudit.path, async (c) => {
  const q = validate(API.mappingAudit.query, c.req.query(), "query");
  const report = await runMappingAudit(c.env);
  if (q.format === "md") return c.body(auditMarkdown(report), 200, { "content-type": "text/markdown; charset=utf-8" });
  if (q.format === "csv") return c.body(auditCsv(report), 200, { "content-type": "text/csv; charset=utf-8" });
  return c.json(report);
});

api.get(API.doctor.path, async (c) => {
  // A read that renews every vendor credential: not for a request another site asked for.
  if (fromAnotherSite(c.req.raw)) throw new AppError("forbidden", "The doctor renews vendor credentials; another site cannot run it.");
  return c.json(await runDoctor(c.env, hubUrlOf(c.env, c.req.url)));
});

api.get(API.backfillStatus.path, async (c) => {
  const q = validate(API.backfillStatus.query, c.req.query(), "query");
  return c.json(settled(await statusOrMissing(c.env.DB, q.id, Date.now())));
});

api.post(API.startBackfill.path, async (c) => {
  const body = validate(API.startBackfill.body, await jsonBody(c.req.raw), "body");
  const run = settled(await startOrResume(c.env, body, Date.now()));
  return c.json(settled(await statusOrMissing(c.env.DB, run.id, Date.now())), 202);
});

api.get(API.backfillReport.path, async (c) => {
  const q = validate(API.backfillReport.query, c.req.query(), "query");
  const r = settled(await reportOrMissing(c.env.DB, q.id, q.limit ?? 500));
  if (q.format === "md") return c.body(reportMarkdown(r), 200, { "content-type": "text/markdown; charset=utf-8" });
  if (q.format === "csv")
    return c.body(reportCsv(r), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="backfill-${r.run?.id ?? "none"}.csv"`,
    });
  return c.json(r);
});

api.post(API.applyBackfill.path, async (c) => {
  const body = validate(API.applyBackfill.body, await jsonBody(c.req.raw), "body");
  return c.json(settled(await applyBackfill(c.env, body.id, Date.now())));
});
