/**
 * The `dealwire` operator CLI, over the hub's admin API. Platform-neutral: the caller hands in
 * fetch and where lines go, so the same code runs in a terminal (scripts/cli/dealwire.mjs) and in
 * the tests against the hub itself.
 */
import type { BackfillReport, BackfillStatus } from "../../src/backfill/report";
import type { alertHistory, overview } from "../../src/ops/activity";
import type { DeadLetterView } from "../../src/ops/dead-letters";
import type { connectionHealth } from "../../src/ops/health";
import type { listMergeProposals } from "../../src/ops/merges";
import type { WebhookReport } from "../../src/ops/webhooks";
import type { DoctorReport } from "../../src/ops/doctor";
import { bar, table } from "./format";
import { auditCsv, auditMarkdown, type AuditReport } from "../../src/mapping/audit";

// The answers' types are the hub's own, so the CLI cannot drift from the API it reads.
type Overview = Awaited<ReturnType<typeof overview>>;
type Health = { connections: Awaited<ReturnType<typeof connectionHealth>> };
type Alerts = Awaited<ReturnType<typeof alertHistory>>;
type Proposals = Awaited<ReturnType<typeof listMergeProposals>>;
type LetterPage = { deadLetters: DeadLetterView[]; total: number; cursor: string | null };

export type Io = {
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** DEALWIRE_URL, DEALWIRE_OPS_TOKEN (or OPS_TOKEN), DEALWIRE_ACCESS_CLIENT_ID and _SECRET. */
  env: Record<string, string | undefined>;
  sleep?: (ms: number) => Promise<void>;
};

/** The operator's waits: the test harness's own, else real time. */
const sleeper = (io: Io) => io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

export const USAGE = `dealwire <command> [--url URL] [--json]

  status                                   connections, backlog, open dead letters, firing alerts
  dead-letters list [--status S] [--vendor V] [--queue Q] [--code C] [--limit N] [--cursor C] [--all-pages]
  dead-letters show ID
  dead-letters replay ID
  dead-letters replay --all [--vendor V] [--queue Q] [--code C] [--per-second N]
                                           every open letter matching, with a progress bar
  dead-letters discard ID --reason TEXT
  merges list [--status S]                 merges approve ID | merges reject ID
  alerts                                   firing alerts and the notification log
  alerts resolve KEY --reason TEXT         resolve a firing alert by hand (a check that still sees it fires it again)
  webhooks status | webhooks sync [--dry-run] [--connection ID]
  mapping audit [--format md|csv]          sample records of each system, what maps where, what needs a decision
  doctor                                   checks each active connection's live account (read-only);
                                           exits 1 when any check fails
  backfill start [--wait]                  the day-one import (read-only), with a progress bar
  backfill status [--id ID] [--wait]       phase, counts per system, time left
  backfill resume ID | backfill report [--id ID] [--format md|csv] | backfill apply ID

The hub's URL comes from --url or DEALWIRE_URL (default http://127.0.0.1:8787); the admin token
from DEALWIRE_OPS_TOKEN (or OPS_TOKEN), or behind Cloudflare Access a service token from
DEALWIRE_ACCESS_CLIENT_ID and DEALWIRE_ACCESS_CLIENT_SECRET. --json prints the API's answer for scripts.`;

type Args = { positional: string[]; flags: Map<string, string | true> };

export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith("--")) {
      flags.set(name, next);
      i++;
    } else flags.set(name, true);
  }
  return { positional, flags };
}

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

type Problem = { code?: string; title?: string; detail?: string };

function client(io: Io, args: Args) {
  const base = String(args.flags.get("url") ?? io.env.DEALWIRE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  const token = io.env.DEALWIRE_OPS_TOKEN ?? io.env.OPS_TOKEN;
  // Behind Cloudflare Access the edge takes a service token and hands the hub its identity.
  const accessId = io.env.DEALWIRE_ACCESS_CLIENT_ID;
  const accessSecret = io.env.DEALWIRE_ACCESS_CLIENT_SECRET;
  const access = accessId && accessSecret ? { "cf-access-client-id": accessId, "cf-access-client-secret": accessSecret } : null;
  if (!token && !access)
    throw new CliError("set DEALWIRE_OPS_TOKEN to the hub's OPS_TOKEN (behind Access: DEALWIRE_ACCESS_CLIENT_ID and _SECRET)", 2);
  const credentials: Record<string, string> = access ?? { authorization: `Bearer ${token}` };
  return async <T>(method: "GET" | "POST", path: string, body?: unknown, as: "json" | "text" = "json"): Promise<T> => {
    const res = await io.fetch(`${base}/ops/api${path}`, {
      method,
      headers: { ...credentials, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // The API never redirects: a redirect is Access's sign-in page, which a CLI cannot use.
      redirect: "manual",
    });
    if (res.status >= 300 && res.status < 400)
      throw new CliError(
        `the hub's URL redirected to ${res.headers.get("location") ?? "another page"}: behind Cloudflare Access, set DEALWIRE_ACCESS_CLIENT_ID and DEALWIRE_ACCESS_CLIENT_SECRET to a service token`,
        1,
      );
    const text = await res.text();
    if (res.ok && as === "text") return text as T;
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const p = (json ?? {}) as Problem;
      throw new CliError(`${res.status} ${p.code ?? ""}: ${p.detail ?? p.title ?? text.slice(0, 200)}`, 1);
    }
    return json as T;
  };
}

const query = (args: Args, names: string[]) => {
  const q = new URLSearchParams();
  for (const n of names) {
    const v = args.flags.get(n);
    if (typeof v === "string") q.set(n, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
};

const when = (ms: unknown) => (typeof ms === "number" ? `${new Date(ms).toISOString().replace("T", " ").slice(0, 19)} UTC` : "");

type Replay = { matched: number; replayed: number; failed: number; remaining: number; done: boolean; spreadSeconds: number };

async function deadLetters(io: Io, args: Args, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  const [, sub, id] = args.positional;
  if (sub === "list" || sub === undefined) {
    const pages: LetterPage[] = [];
    let path = `/dead-letters${query(args, ["status", "vendor", "queue", "code", "limit", "cursor"])}`;
    for (;;) {
      const page = await call<LetterPage>("GET", path);
      pages.push(page);
      if (!args.flags.has("all-pages") || !page.cursor) break;
      const q = new URLSearchParams(path.split("?")[1] ?? "");
      q.set("cursor", page.cursor);
      path = `/dead-letters?${q.toString()}`;
    }
    const letters = pages.flatMap((p) => p.deadLetters);
    const last = pages[pages.length - 1];
    if (json) io.out(JSON.stringify({ deadLetters: letters, total: last?.total ?? 0, cursor: last?.cursor ?? null }, null, 2));
    else {
      io.out(
        table(
          ["id", "status", "queue", "vendor", "code", "created"],
          letters.map((l) => [l.id, l.status, l.queue, l.vendor ?? "", l.errorCode ?? "", when(l.createdAt)]),
        ),
      );
      io.out(`${letters.length} shown of ${last?.total ?? 0}${last?.cursor ? `; next page: --cursor ${last.cursor}` : ""}`);
    }
    return 0;
  }
  if (sub === "show") {
    if (!id) throw new CliError("dead-letters show ID", 2);
    const letter = await call<Record<string, unknown>>("GET", `/dead-letters/${encodeURIComponent(id)}`);
    io.out(JSON.stringify(letter, null, 2));
    return 0;
  }
  if (sub === "discard") {
    const reason = args.flags.get("reason");
    if (!id || typeof reason !== "string") throw new CliError("dead-letters discard ID --reason TEXT", 2);
    const r = await call<{ id: string; status: string }>("POST", `/dead-letters/${encodeURIComponent(id)}/discard`, { reason });
    io.out(json ? JSON.stringify(r) : `${r.id} ${r.status}`);
    return 0;
  }
  if (sub === "replay" && id) {
    const r = await call<{ id: string; queues?: string[]; status: string }>("POST", `/dead-letters/${encodeURIComponent(id)}/replay`);
    io.out(json ? JSON.stringify(r) : `${r.id} ${r.status} → ${(r.queues ?? []).join(", ")}`);
    return 0;
  }
  if (sub === "replay" && args.flags.has("all")) {
    const filter: Record<string, unknown> = { all: true };
    for (const n of ["vendor", "queue", "code"]) {
      const v = args.flags.get(n);
      if (typeof v === "string") filter[n] = v;
    }
    const perSecond = Number(args.flags.get("per-second") ?? 5);
    if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > 50)
      throw new CliError("--per-second takes a whole number from 1 to 50", 2);
    const open = await call<LetterPage>(
      "GET",
      `/dead-letters${query({ ...args, flags: new Map([...args.flags, ["status", "open"], ["limit", "1"]]) }, ["status", "vendor", "queue", "code", "limit"])}`,
    );
    const total = open.total;
    let replayed = 0;
    let failed = 0;
    let remaining = total;
    const sleep = sleeper(io);
    // Each call paces its own chunk from its first message, so the next call waits until the
    // chunk is spread out: back to back, two calls would each send perSecond in the same second.
    // The hub says how many still match.
    while (remaining > 0) {
      const r = await call<Replay>("POST", "/dead-letters/replay", { ...filter, perSecond, limit: 100 });
      replayed += r.replayed;
      failed += r.failed;
      remaining = r.remaining;
      if (!json) io.err(`${bar(total - remaining, total)} replayed ${replayed}, failed ${failed}, remaining ${remaining}`);
      if (r.replayed === 0) break; // what is left cannot be sent now; say so rather than spin
      if (remaining > 0) await sleep(r.spreadSeconds * 1000);
    }
    // Letters the list counts but no replay matches (no known queue) are still open too.
    const stillOpen = Math.max(remaining, total - replayed);
    const summary = { total, replayed, failed, remaining: stillOpen };
    io.out(json ? JSON.stringify(summary) : `replayed ${replayed} of ${total}; ${failed} failed to send; ${stillOpen} still open`);
    return stillOpen === 0 ? 0 : 1;
  }
  throw new CliError(USAGE, 2);
}

async function merges(io: Io, args: Args, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  const [, sub, id] = args.positional;
  if (sub === "approve" || sub === "reject") {
    if (!id) throw new CliError(`merges ${sub} ID`, 2);
    const r = await call<Record<string, unknown>>("POST", `/merges/${encodeURIComponent(id)}/${sub}`);
    io.out(json ? JSON.stringify(r) : `${id} ${sub === "approve" ? `approved; CRM note: ${String(r.crmNote)}` : "rejected"}`);
    return 0;
  }
  const r = await call<Proposals>("GET", `/merges${query(args, ["status", "limit", "cursor"])}`);
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    io.out(
      table(
        ["id", "score", "status", "reasons"],
        r.proposals.map((p) => [p.id, p.score.toFixed(3), p.status, JSON.stringify(p.reasons)]),
      ),
    );
    if (r.cursor) io.out(`${r.proposals.length} of ${r.total} shown; next page: --cursor ${r.cursor}`);
  }
  return 0;
}

async function status(io: Io, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  const [overview, health] = await Promise.all([call<Overview>("GET", "/overview"), call<Health>("GET", "/health")]);
  if (json) {
    io.out(JSON.stringify({ overview, health }, null, 2));
    return 0;
  }
  io.out(
    table(
      ["connection", "active", "last check", "last poll"],
      health.connections.map((c) => [
        c.connection,
        c.active ? "yes" : "no",
        c.lastCheck
          ? `${c.lastCheck.ok ? "ok" : "FAILING"} ${when(c.lastCheck.at)}${c.lastCheck.stale && c.active ? " (STALE: no check since)" : ""}`
          : "never",
        when(c.lastPolledAt),
      ]),
    ),
  );
  io.out(`dead letters: ${JSON.stringify(overview.deadLetters)}`);
  io.out(`backlog: ${JSON.stringify(overview.backlog)}`);
  io.out(`firing alerts: ${overview.firingAlertsTotal}`);
  for (const a of overview.firingAlerts) io.out(`  ${a.severity} ${a.key}: ${a.title} (×${a.count})`);
  return 0;
}

async function alerts(io: Io, args: Args, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  if (args.positional[1] === "resolve") {
    const key = args.positional[2];
    const reason = args.flags.get("reason");
    if (!key || typeof reason !== "string") throw new CliError("alerts resolve KEY --reason TEXT", 2);
    const r = await call<{ key: string; state: string }>("POST", `/alerts/${encodeURIComponent(key)}/resolve`, { reason });
    io.out(json ? JSON.stringify(r) : `${r.key} ${r.state}`);
    return 0;
  }
  const r = await call<Alerts>("GET", `/alerts${query(args, ["limit"])}`);
  if (json) io.out(JSON.stringify(r, null, 2));
  else
    io.out(
      table(
        ["state", "severity", "key", "title", "count"],
        r.alerts.map((a) => [String(a.state), String(a.severity), String(a.key), String(a.title), String(a.count ?? "")]),
      ),
    );
  return 0;
}

async function webhooks(io: Io, args: Args, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  type Report = WebhookReport;
  const sub = args.positional[1] ?? "status";
  if (sub !== "status" && sub !== "sync") throw new CliError("webhooks status | webhooks sync [--dry-run] [--connection ID]", 2);
  const connection = args.flags.get("connection");
  const r =
    sub === "status"
      ? await call<Report>("GET", "/webhooks")
      : await call<Report>("POST", "/webhooks/sync", {
          dryRun: args.flags.has("dry-run"),
          ...(typeof connection === "string" ? { connection } : {}),
        });
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    io.out(`webhooks for ${r.hubUrl}${r.dryRun ? " (dry run: nothing changed)" : ""}`);
    for (const v of r.vendors) {
      io.out(`\n${v.connection} → ${v.url}`);
      if (v.error) io.out(`  ✗ ${v.error.code}: ${v.error.message}`);
      for (const a of v.actions) {
        const mark = a.error ? "✗" : a.done ? "✓" : "·";
        const note = a.kind === "update" ? ` (was ${a.from})` : a.kind === "delete" ? ` (${a.url})` : "";
        io.out(`  ${mark} ${a.kind.padEnd(6)} ${a.events.join(", ")}${note}${a.error ? `: ${a.error}` : ""}`);
      }
    }
    for (const c of r.consoles) {
      io.out(`\n${c.vendor}: set in ${c.where}\n  URL     ${c.url}\n  events  ${c.events.join(", ")}`);
      for (const s of c.settings) io.out(`  · ${s}`);
    }
  }
  return r.vendors.some((v) => v.error || v.actions.some((a) => a.error)) ? 1 : 0;
}

/** The mapping audit (read only); exit 1 while anything needs a decision, so a script can gate on it. */
async function mapping(io: Io, args: Args, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  if (args.positional[1] !== "audit") throw new CliError("mapping audit [--format md|csv] [--json]", 2);
  const format = args.flags.get("format");
  if (format !== undefined && format !== "md" && format !== "csv") throw new CliError("--format takes md or csv", 2);
  const r = await call<AuditReport>("GET", "/mapping/audit");
  if (json) io.out(JSON.stringify(r, null, 2));
  else if (format === "md") io.out(auditMarkdown(r).trimEnd());
  else if (format === "csv") io.out(auditCsv(r).trimEnd());
  else {
    io.out(`mapping audit of ${r.systems.join(", ") || "no system"}: ${r.rows.length} sample records`);
    io.out(
      table(
        ["kind", "system", "field", "detail", "looks like"],
        r.findings.map((f) => [f.kind, f.system, f.field, f.detail, (f.suggestions ?? []).join(", ")]),
      ),
    );
    io.out(`${r.findings.length} finding${r.findings.length === 1 ? "" : "s"}; --format md or csv for the sign-off export`);
  }
  return r.findings.length === 0 ? 0 : 1;
}

async function doctor(io: Io, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  const r = await call<DoctorReport>("GET", "/doctor");
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    const result = (c: DoctorReport["checks"][number]) =>
      c.status === "pass" ? "ok" : c.status === "fail" ? `FAIL ${c.detail}` : `skip ${c.detail}`;
    io.out(
      table(
        ["connection", "check", "result", "fix"],
        r.checks.map((c) => [c.connection, c.name, result(c), c.fix ?? ""]),
        { fullLast: true },
      ),
    );
    const skipped = r.checks.filter((c) => c.status === "skip").length;
    io.out(
      r.ok
        ? `all ${r.checks.length - skipped} checks passed (${r.hubUrl})`
        : `${r.failed} of ${r.checks.length} checks failed${skipped ? `, ${skipped} skipped` : ""} (${r.hubUrl})`,
    );
  }
  return r.ok ? 0 : 1;
}

function eta(seconds: number | null): string {
  if (seconds === null) return "estimating";
  if (seconds < 90) return `${seconds} s left`;
  return seconds < 5400 ? `${Math.round(seconds / 60)} min left` : `${(seconds / 3600).toFixed(1)} h left`;
}

function backfillTable(s: BackfillStatus): string {
  return table(
    ["phase", "pages", "records", "linked", "new", "calls", "total", "state"],
    Object.entries(s.progress).map(([phase, p]) => [
      phase,
      String(p.pages),
      String(p.records),
      String(p.linked),
      String(p.created),
      String(p.calls),
      p.total === null ? "" : String(p.total),
      p.skipped ? `skipped: ${p.skipped}` : p.doneAt ? "done" : phase === s.phase ? "running" : "",
    ]),
  );
}

async function backfill(io: Io, args: Args, call: ReturnType<typeof client>, json: boolean): Promise<number> {
  const sub = args.positional[1] ?? "start";
  const id = args.flags.get("id");
  const sleep = sleeper(io);
  /** Follows a run to its end, a progress line at a time (stderr), then prints its table. */
  const follow = async (first: BackfillStatus): Promise<number> => {
    let s = first;
    const wait = args.flags.has("wait") || (sub === "start" && !json);
    while (wait && s.status === "running") {
      if (!json) io.err(`${bar(Math.round(s.share * 1000), 1000)} ${s.phase} · ${s.records} records · ${eta(s.etaSeconds)}`);
      await sleep(Number(args.flags.get("every") ?? 2) * 1000);
      s = await call<BackfillStatus>("GET", `/backfill?id=${encodeURIComponent(s.id)}`);
    }
    if (json) io.out(JSON.stringify(s, null, 2));
    else {
      io.out(
        `backfill ${s.id}: ${s.status}, phase ${s.phase}, ${s.records} records in ${s.pages} pages${s.status === "running" ? `, ${eta(s.etaSeconds)}` : ""}`,
      );
      io.out(backfillTable(s));
      if (s.error) io.out(`error: ${s.error}`);
      if (s.status === "done") io.out(`report: dealwire backfill report --id ${s.id}; after review: dealwire backfill apply ${s.id}`);
    }
    return s.status === "failed" ? 1 : 0;
  };
  if (sub === "start") return follow(await call<BackfillStatus>("POST", "/backfill", {}));
  if (sub === "resume") {
    const run = args.positional[2];
    if (!run) throw new CliError("backfill resume ID", 2);
    return follow(await call<BackfillStatus>("POST", "/backfill", { resume: run }));
  }
  if (sub === "status")
    return follow(await call<BackfillStatus>("GET", `/backfill${typeof id === "string" ? `?id=${encodeURIComponent(id)}` : ""}`));
  if (sub === "report") {
    const format = args.flags.get("format") ?? (json ? "json" : "md");
    if (format !== "md" && format !== "csv" && format !== "json") throw new CliError("--format md|csv|json", 2);
    const q = new URLSearchParams({ format: String(format), ...(typeof id === "string" ? { id } : {}) });
    if (format === "json") io.out(JSON.stringify(await call<BackfillReport>("GET", `/backfill/report?${q.toString()}`), null, 2));
    else io.out((await call<string>("GET", `/backfill/report?${q.toString()}`, undefined, "text")).trimEnd());
    return 0;
  }
  if (sub === "apply") {
    const run = args.positional[2];
    if (!run) throw new CliError("backfill apply ID", 2);
    const r = await call<{ id: string; transactionIds: number; contacts: number }>("POST", "/backfill/apply", { id: run });
    io.out(
      json
        ? JSON.stringify(r)
        : `applied ${r.id}: ${r.transactionIds} transaction ids to write back, ${r.contacts} contacts to sync (through the CRM and TMS queues)`,
    );
    return 0;
  }
  throw new CliError("backfill start | status | resume ID | report | apply ID", 2);
}

/** Runs one command; the exit code is 0 on success, 1 when the hub refused or failed, 2 on usage. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.has("json");
  const command = args.positional[0];
  try {
    if (!command || command === "help" || args.flags.has("help")) {
      io.out(USAGE);
      return command ? 0 : 2;
    }
    const call = client(io, args);
    switch (command) {
      case "status":
        return await status(io, call, json);
      case "dead-letters":
        return await deadLetters(io, args, call, json);
      case "merges":
        return await merges(io, args, call, json);
      case "alerts":
        return await alerts(io, args, call, json);
      case "webhooks":
        return await webhooks(io, args, call, json);
      case "mapping":
        return await mapping(io, args, call, json);
      case "doctor":
        return await doctor(io, call, json);
      case "backfill":
        return await backfill(io, args, call, json);
      default:
        throw new CliError(`unknown command '${command}'\n\n${USAGE}`, 2);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(e.message);
      return e.exitCode;
    }
    io.err(`cannot reach the hub: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
