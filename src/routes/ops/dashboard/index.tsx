import type { Context } from "hono";
import { honoApp } from "../../router";
import { readCookie, writeCookie } from "../../cookies";
import { readCapped } from "../../hooks/read-body";
import type { Child } from "hono/jsx";
import { problem } from "../../../lib/errors";
import { alertHistory, driftRecords, overview } from "../../../ops/activity";
import { tokenLabel, tokenMatches } from "../../../ops/credentials";
import { clientOf, FAILURE_WINDOW_MS, noteFailure } from "../../../ops/rate-limit";
import { endSession, SESSION_SECONDS, startSession } from "../../../ops/sessions";
import { purgeAuthState } from "../../../store/ops-sessions";
import { deadLetterDetail, discardDeadLetter, findDeadLetters, replayDeadLetter } from "../../../ops/dead-letters";
import { connectionHealth } from "../../../ops/health";
import { approveMerge, listMergeProposals, rejectMerge } from "../../../ops/merges";
import type { Outcome } from "../../../lib/outcome";
import { deliveryDetail, recordDetail, searchRecords } from "../../../ops/records";
import { roiReport } from "../../../ops/roi";
import { resolveAlertByHand } from "../../../ops/alerts";
import {
  AlertKeyParam,
  AlertsQuery,
  DeadLetterFilter,
  Discard,
  Id,
  ListQuery,
  MergeListQuery,
  RoiQuery,
  SearchQuery,
} from "../../../ops/schemas";
import { onLoopback, limited } from "../../operator";
import { fromAnotherSite, requestId } from "../../app";
import { OPS_BASE, SESSION_COOKIE, requireSession, sameOrigin, type OpsEnv } from "../auth";
import { DeadLetterPage, DeadLettersPage } from "./dead-letters";
import { Layout, noticeFor, type Section } from "./layout";
import { AlertsPage, DriftPage } from "./lists";
import { ListingsPage } from "./listings";
import { ListingsQuery, listingsReport } from "../../../ops/listings";
import { LoginPage } from "./login";
import { MergesPage } from "./merges";
import { BackfillPage } from "./backfill";
import { backfillReport, reportCsv, reportMarkdown } from "../../../backfill/report";
import { applyBackfill, startOrResume } from "../../../ops/backfill";
import { OverviewPage } from "./overview";
import { DeliveryPage, RecordPage, SearchPage } from "./records";
import { RoiPage } from "./roi";
import { MappingPage } from "./mapping";
import { runMappingAudit } from "../../../ops/mapping-audit";
import { auditCsv, auditMarkdown } from "../../../mapping/audit";

import { DoctorAsk, DoctorPage } from "./doctor";
import { runDoctor } from "../../../ops/doctor";
import { hubUrlOf } from "../../hub-url";

type C = Context<OpsEnv>;

/** Pages hold PII and carry action forms: never cached, never framed, no script at all. */
function secure(c: C): void {
  c.header(
    "content-security-policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "same-origin");
  c.header("x-content-type-options", "nosniff");
}

function render(c: C, title: string, section: Section, body: Child, status: 200 | 401 | 404 = 200) {
  secure(c);
  // Only an id is quoted: the query is anyone's link, and its words would read as the hub's.
  const id = Id.safeParse(c.req.query("id"));
  const notice = noticeFor(c.req.query("msg"), id.success ? id.data.slice(0, 80) : undefined);
  return c.html(
    <Layout title={title} section={section} notice={notice}>
      {body}
    </Layout>,
    status,
  );
}

function idOf(c: C): string | null {
  const r = Id.safeParse(c.req.param("id"));
  return r.success ? r.data : null;
}

function missing(c: C, what: string, section: Section) {
  return render(c, `No such ${what}`, section, <p class="mut">It may have been purged, or the link is wrong.</p>, 404);
}

/** After a form post: back to a page with a notice code (PRG, so a reload does not repeat it). */
function after<T>(c: C, path: string, o: Outcome<T>, success: string, id: string, refusals: Readonly<Record<string, string>> = {}) {
  // A refusal names its own notice where the generic one would describe it wrongly.
  const code = o.ok ? success : (refusals[o.code] ?? (["conflict", "not_found", "queue_unavailable"].includes(o.code) ? o.code : "failed"));
  return c.redirect(`${OPS_BASE}${path}?msg=${code}&id=${encodeURIComponent(id)}`, 303);
}

/** Where to go after signing in: a dashboard page, never a path that leaves it (`/ops/../`, `/opsx`). */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/ops(?:[/?]|$)/.test(next) && !/[\\\s]|\.\.|%2e/i.test(next) ? next : OPS_BASE;
}

/** The dashboard (`/ops`): server-rendered pages, plain HTML forms, session cookie + Origin check. */
export const dashboard = honoApp<OpsEnv>();

dashboard.get("/login", (c) => {
  secure(c);
  return c.html(<LoginPage next={safeNext(c.req.query("next"))} failed={false} />);
});

/**
 * A form body as the dashboard's forms post it (URL-encoded), else {}; {} past 16 KiB too: the
 * sign-in form is read before anyone is known, so a stranger's body is never read further.
 */
async function formOf(c: { req: { raw: Request } }): Promise<Record<string, string>> {
  const req = c.req.raw;
  const bytes = /^application\/x-www-form-urlencoded/i.test(req.headers.get("content-type") ?? "") && (await readCapped(req, 16_384));
  return bytes instanceof Uint8Array ? Object.fromEntries(new URLSearchParams(new TextDecoder().decode(bytes))) : {};
}

dashboard.post("/login", sameOrigin, async (c) => {
  const client = await clientOf(c.req.raw);
  const stop = await limited(c, client);
  if (stop) return stop;
  const form = await formOf(c);
  const next = safeNext(form.next);
  const now = Date.now();
  if (typeof form.token !== "string" || !(await tokenMatches(form.token, c.env.OPS_TOKEN))) {
    await noteFailure(c.env.DB, client, now);
    secure(c);
    c.set("code", "unauthorized");
    return c.html(<LoginPage next={next} failed={true} />, 401);
  }
  const [id] = await Promise.all([
    startSession(c.env.DB, await tokenLabel(c.env.OPS_TOKEN), now),
    purgeAuthState(c.env.DB, now, FAILURE_WINDOW_MS),
  ]);
  writeCookie(c, SESSION_COOKIE, id, {
    path: OPS_BASE,
    sameSite: "Strict",
    // Plain http only on this machine (npm start); anywhere else the cookie never travels in clear.
    secure: !onLoopback(c.req.url),
    maxAge: SESSION_SECONDS,
  });
  return c.redirect(next, 303);
});

/** Logout revokes the session server-side, so a copied cookie stops working too. */
dashboard.post("/logout", sameOrigin, async (c) => {
  const cookie = readCookie(c, SESSION_COOKIE);
  if (cookie) await endSession(c.env.DB, cookie, Date.now());
  writeCookie(c, SESSION_COOKIE, "", { path: OPS_BASE, maxAge: 0 });
  return c.redirect(`${OPS_BASE}/login`, 303);
});

dashboard.get("/", requireSession, async (c) => {
  const [o, health] = await Promise.all([overview(c.env.DB), connectionHealth(c.env)]);
  return render(c, "Overview", "", <OverviewPage o={o} health={health} />);
});

dashboard.get("/records", requireSession, (c) => {
  // Searches go by POST: an email or phone in a URL ends up in history, proxies and logs.
  if (c.req.query("q") !== undefined) {
    c.set("code", "bad_request");
    return c.json(
      problem("bad_request", "Search with the form (POST /ops/records); personal data is kept out of URLs.", requestId(c)),
      400,
      { "content-type": "application/problem+json" },
    );
  }
  return render(c, "Records", "/records", <SearchPage q="" result={null} />);
});

dashboard.post("/records", requireSession, sameOrigin, async (c) => {
  const form = await formOf(c);
  const raw = typeof form.q === "string" ? form.q : "";
  const q = SearchQuery.safeParse({ q: raw });
  if (!q.success) return render(c, "Records", "/records", <SearchPage q={raw} result={null} error={q.error.issues[0]?.message} />);
  return render(c, "Records", "/records", <SearchPage q={q.data.q} result={await searchRecords(c.env.DB, q.data.q, 50)} />);
});

dashboard.get("/records/:id", requireSession, async (c) => {
  const id = idOf(c);
  const d = id ? await recordDetail(c.env.DB, id) : null;
  if (!d) return missing(c, "record", "/records");
  const title =
    d.kind === "person" ? [d.record.firstName, d.record.lastName].filter(Boolean).join(" ") || d.record.id : (d.record.name ?? d.record.id);
  return render(c, title, "/records", <RecordPage d={d} />);
});

dashboard.get("/deliveries/:id", requireSession, async (c) => {
  const id = idOf(c);
  const d = id ? await deliveryDetail(c.env.DB, id) : null;
  if (!d) return missing(c, "delivery", "/records");
  return render(c, `Delivery ${d.id}`, "/records", <DeliveryPage d={d} />);
});

dashboard.get("/dead-letters", requireSession, async (c) => {
  const q = c.req.query();
  const status = q.status ?? "open";
  const filter = { status, vendor: q.vendor ?? "", code: q.code ?? "", queue: q.queue ?? "" };
  const parsed = DeadLetterFilter.safeParse(
    Object.fromEntries(Object.entries({ ...filter, cursor: q.cursor ?? "" }).filter(([, v]) => v !== "")),
  );
  // A link that does not parse (a status or page of no list) would show "0 letters": say so instead.
  if (!parsed.success) return c.redirect(`${OPS_BASE}/dead-letters?msg=bad_filter`, 303);
  const page = await findDeadLetters(c.env.DB, { ...parsed.data, limit: 200 });
  return render(c, "Dead letters", "/dead-letters", <DeadLettersPage page={page} filter={filter} paged={q.cursor !== undefined} />);
});

dashboard.get("/dead-letters/:id", requireSession, async (c) => {
  const id = idOf(c);
  const d = id ? await deadLetterDetail(c.env.DB, id) : null;
  if (!d) return missing(c, "dead letter", "/dead-letters");
  return render(c, `Dead letter: ${d.errorCode}`, "/dead-letters", <DeadLetterPage d={d} />);
});

dashboard.post("/dead-letters/:id/replay", requireSession, sameOrigin, async (c) => {
  const id = idOf(c);
  if (!id) return c.redirect(`${OPS_BASE}/dead-letters?msg=not_found`, 303);
  return after(c, "/dead-letters", await replayDeadLetter(c.env, id, c.get("actor")), "replayed", id);
});

dashboard.post("/dead-letters/:id/discard", requireSession, sameOrigin, async (c) => {
  const id = idOf(c);
  const form = Discard.safeParse(await formOf(c));
  if (!id || !form.success) return c.redirect(`${OPS_BASE}/dead-letters?msg=invalid`, 303);
  return after(c, "/dead-letters", await discardDeadLetter(c.env.DB, id, form.data.reason, c.get("actor")), "discarded", id);
});

dashboard.get("/backfill", requireSession, async (c) => {
  return render(
    c,
    "Day-one backfill",
    "/backfill",
    <BackfillPage report={await backfillReport(c.env.DB, null, 200).then((r) => (r?.run ? { ...r, run: r.run } : null))} />,
  );
});

const BACKFILL_REFUSALS = { queue_unavailable: "backfill_unqueued", conflict: "backfill_conflict" };

dashboard.post("/backfill/start", requireSession, sameOrigin, async (c) => {
  const o = await startOrResume(c.env, {}, Date.now());
  return after(c, "/backfill", o, "backfill_started", o.ok ? o.value.id : "", BACKFILL_REFUSALS);
});

dashboard.post("/backfill/resume", requireSession, sameOrigin, async (c) => {
  const id = Id.safeParse((await formOf(c)).id);
  if (!id.success) return c.redirect(`${OPS_BASE}/backfill?msg=invalid`, 303);
  return after(c, "/backfill", await startOrResume(c.env, { resume: id.data }, Date.now()), "backfill_started", id.data, BACKFILL_REFUSALS);
});

dashboard.post("/backfill/apply", requireSession, sameOrigin, async (c) => {
  const id = Id.safeParse((await formOf(c)).id);
  if (!id.success) return c.redirect(`${OPS_BASE}/backfill?msg=invalid`, 303);
  return after(c, "/backfill", await applyBackfill(c.env, id.data, Date.now()), "backfill_applied", id.data, {
    queue_unavailable: "apply_unqueued",
    conflict: "backfill_conflict",
  });
});

for (const format of ["md", "csv"] as const) {
  dashboard.get(`/backfill/report.${format}`, requireSession, async (c) => {
    const id = Id.safeParse(c.req.query("id"));
    const r = await backfillReport(c.env.DB, id.success ? id.data : null, 10_000);
    if (!r) return missing(c, "backfill", "/backfill");
    secure(c);
    return format === "csv"
      ? c.body(reportCsv(r), 200, {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="backfill-${r.run?.id ?? "none"}.csv"`,
        })
      : c.body(reportMarkdown(r), 200, { "content-type": "text/markdown; charset=utf-8" });
  });
}

dashboard.get("/merges", requireSession, async (c) => {
  const q = MergeListQuery.safeParse(c.req.query());
  const status = q.success ? q.data.status : "proposed";
  const page = await listMergeProposals(c.env.DB, { status, limit: 100, cursor: q.success ? q.data.cursor : undefined });
  return render(c, "Merge proposals", "/merges", <MergesPage page={page} status={status} />);
});

dashboard.post("/merges/:id/approve", requireSession, sameOrigin, async (c) => {
  const id = idOf(c);
  if (!id) return c.redirect(`${OPS_BASE}/merges?msg=not_found`, 303);
  const o = await approveMerge(c.env, id, c.get("actor"));
  return after(c, "/merges", o, o.ok && o.value.crmNote !== "added" ? "approved_without_note" : "approved", o.ok ? o.value.survivor : id, {
    conflict: "merge_conflict",
  });
});

dashboard.post("/merges/:id/reject", requireSession, sameOrigin, async (c) => {
  const id = idOf(c);
  if (!id) return c.redirect(`${OPS_BASE}/merges?msg=not_found`, 303);
  return after(c, "/merges", await rejectMerge(c.env.DB, id, c.get("actor")), "rejected", id);
});

dashboard.get("/roi", requireSession, async (c) => {
  const q = RoiQuery.safeParse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== "")));
  const r = await roiReport(c.env.DB, q.success ? q.data : { period: "month" });
  return render(
    c,
    "Lead-source ROI",
    "/roi",
    <RoiPage r={r} error={q.success ? undefined : "Those dates are not valid; showing the last 12 months."} />,
  );
});

dashboard.get("/mapping", requireSession, async (c) =>
  render(c, "Mapping audit", "/mapping", <MappingPage report={await runMappingAudit(c.env)} />),
);
dashboard.get("/mapping.md", requireSession, async (c) => {
  secure(c);
  return c.body(auditMarkdown(await runMappingAudit(c.env)), 200, {
    "content-type": "text/markdown; charset=utf-8",
    "content-disposition": 'attachment; filename="mapping-audit.md"',
  });
});
dashboard.get("/mapping.csv", requireSession, async (c) => {
  secure(c);
  return c.body(auditCsv(await runMappingAudit(c.env)), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": 'attachment; filename="mapping-audit.csv"',
  });
});
dashboard.get("/drift", requireSession, async (c) => {
  const q = ListQuery.safeParse(c.req.query());
  const page = await driftRecords(c.env.DB, { limit: 200, cursor: q.success ? q.data.cursor : undefined });
  return render(
    c,
    "Schema drift",
    "/drift",
    <DriftPage page={page} href={(cursor) => `${OPS_BASE}/drift?cursor=${encodeURIComponent(cursor)}`} />,
  );
});

dashboard.get("/alerts", requireSession, async (c) => {
  const q = AlertsQuery.safeParse(c.req.query());
  const h = await alertHistory(c.env.DB, { limit: 100, ...(q.success ? { cursor: q.data.cursor, logCursor: q.data.logCursor } : {}) });
  return render(
    c,
    "Alerts",
    "/alerts",
    <AlertsPage h={h} href={(which, cursor) => `${OPS_BASE}/alerts?${which}=${encodeURIComponent(cursor)}`} />,
  );
});

dashboard.post("/alerts/:key/resolve", requireSession, sameOrigin, async (c) => {
  const key = AlertKeyParam.safeParse(c.req.param());
  const form = Discard.safeParse(await formOf(c));
  if (!key.success || !form.success) return c.redirect(`${OPS_BASE}/alerts?msg=invalid`, 303);
  return after(c, "/alerts", await resolveAlertByHand(c.env, key.data.key, form.data.reason, c.get("actor")), "resolved", key.data.key);
});

// Each view asks the vendors afresh (read-only, through each connection's gate).
dashboard.get("/doctor", requireSession, async (c) =>
  render(
    c,
    "Connection doctor",
    "/doctor",
    fromAnotherSite(c.req.raw) ? <DoctorAsk /> : <DoctorPage r={await runDoctor(c.env, hubUrlOf(c.env, c.req.url))} />,
  ),
);

dashboard.get("/listings", requireSession, async (c) => {
  const q = ListingsQuery.safeParse(c.req.query());
  const query = q.success ? q.data : ListingsQuery.parse({});
  return render(
    c,
    "Listings",
    "/listings",
    <ListingsPage r={await listingsReport(c.env.DB, query)} offset={query.offset} limit={query.limit} status={query.status} />,
  );
});
