/**
 * The MLS queue: replication of a RESO Web API feed one page per message. Each page is applied
 * and the run's state (next link, cursor, counts) stored in D1 in one batch before the next page
 * is enqueued, so an interrupted run resumes from the page after the last one applied, and no
 * Worker invocation holds more than one page. Also: fetches of records an EntityEvent push or a
 * keys pass named, and the CRM notes about listing changes.
 */
import type { ConnectionConfig } from "../config/brokerage";
import { resoOptions } from "../config/connections";
import { brokerageConfig } from "../config/load";
import { log } from "../lib/log";
import { ok, permanent, type Result } from "../lib/result";
import type { Listing } from "../canonical/listing";
import { listingLine, listingSubject } from "../mls/listing";
import { listingWrites } from "../mls/listing-writes";
import {
  isMlsMessage,
  MlsMessage,
  parseCanonicalMessage,
  RUN_KEYS,
  RUN_LISTINGS,
  RUN_MEMBERS,
  RUN_OFFICES,
  type MlsMessage as Msg,
  type MlsRun,
} from "../queues/messages";
import { enqueue, sendRecorded } from "../queues/send";
import { outboxJobStatements, type RecordedJob } from "../store/outbox";
import { needsHandOff } from "../mls/hand-off";
import { rosterWrites } from "../mls/roster-writes";
import { firstPage, pagesBySkip, resumeFrom, selfNext } from "../mls/paging";
import { findExternalId } from "../store/links";
import { getPerson } from "../store/people";
import {
  addRemoved,
  advanceStatement,
  getSync,
  inquirersOf,
  listingsByKeys,
  markSeenStatement,
  keysPassCensus,
  markUnseenOutOfFeed,
  outOfFeedStatement,
  recordSyncError,
} from "../store/listings";
import { traceStatement } from "../store/traces";
import { fireAlert, resolveAlert } from "../alerts";
import { ResoClient, odataString, type PageRef } from "../vendors/reso/client";
import { connectionFor } from "../vendors/registry";
import { crmFor } from "../vendors/systems";
import { once } from "../queues/once";
import { mlsJobQueue } from "../queues/routing";

function mlsConnection(env: Env, id: string): Result<ConnectionConfig> {
  const conn = brokerageConfig(env).connections.find((c) => c.id === id);
  if (conn?.vendor !== "reso") return permanent("connection_unknown", `no reso connection ${id}`);
  return ok(conn);
}

/**
 * A CRM note for every person who inquired about a changed listing (when turned on), as outbox
 * rows: recorded in the batch that stores the change, since a retry of the message finds the
 * listing stored and derives no note again. Each is claimed once per change and person.
 */
async function inquirerNotes(
  env: Env,
  conn: ConnectionConfig,
  changes: Array<{ listing: Listing; what: string[] }>,
): Promise<RecordedJob[]> {
  if (!resoOptions(conn).notifyInquirers || changes.length === 0) return [];
  const people = await inquirersOf(
    env.DB,
    changes.map((c) => c.listing.listingKey),
  );
  const byKey = new Map(changes.map((c) => [c.listing.listingKey, c]));
  return people.flatMap((p) => {
    const c = byKey.get(p.listing_key);
    if (!c) return [];
    const l = c.listing;
    const name = [l.listingId ? `MLS# ${l.listingId}` : null, listingLine(l.address)].filter(Boolean).join(" · ");
    const note: Msg = {
      v: 1,
      kind: "mls",
      job: "note",
      personId: p.person_id,
      listingKey: l.listingKey,
      changeId: `${l.listingKey}@${l.modifiedAt}:${l.status}:${l.listPriceCents}`,
      subject: `Listing update: ${name}`.slice(0, 200),
      body: `A listing this person asked about changed: ${c.what.join("; ")}. ${name}`.slice(0, 2000),
    };
    return [{ id: `note:${note.changeId}:${p.person_id}`, queue: mlsJobQueue("note"), body: note }];
  });
}

/**
 * Fetches of the keys a pass's page saw that the hub does not hold yet, so a missed change is
 * repaired; recorded with the page, under ids of the page (`page`: the pass's id and the seq).
 */
async function missingFetches(db: D1Database, conn: ConnectionConfig, page: string, keys: string[]): Promise<RecordedJob[]> {
  const have = await listingsByKeys(db, keys);
  // A listing held as out of feed that the feed still lists is fetched too: its upsert brings it back.
  const missing = keys.filter((k) => {
    const held = have.get(k);
    return !held || held.out_of_feed_at !== null;
  });
  const jobs: RecordedJob[] = [];
  for (let i = 0; i < missing.length; i += 50) {
    const body: Msg = { v: 1, kind: "mls", job: "fetch", connection: conn.id, keys: missing.slice(i, i + 50), reason: "keys_pass" };
    jobs.push({ id: `mls-fetch:${page}:${i}`, queue: mlsJobQueue("fetch"), body });
  }
  return jobs;
}

/** Below this many listings held, a small feed may lose half of them at once. */
const CENSUS_MIN = 20;

/**
 * Whether a finished keys-only pass may mark what it did not see out of feed: not when it saw
 * fewer than half the listings the hub holds. A server that answers the pass short (an empty
 * page, paging the hub does not follow) would otherwise take most of the feed out, and leads and
 * deals would stop finding their listings; the operator is told instead.
 */
async function keysPassWhole(env: Env, connection: string, passId: string): Promise<boolean> {
  const { held, seen } = await keysPassCensus(env.DB, connection, passId);
  const key = `mls_keys_short:${connection}`;
  const title = `The keys-only pass of ${connection} saw too few listings`;
  if (held >= CENSUS_MIN && seen * 2 < held) {
    await fireAlert(env, {
      key,
      severity: "critical",
      title,
      detail: `It saw ${seen} of the ${held} listings the hub holds in the feed; none was marked out of feed. Check the MLS's paging and filter.`,
    });
    return false;
  }
  await resolveAlert(env, key, title);
  return true;
}

/**
 * Queues page `seq` of a run. A send that fails throws, so the page's own message is retried
 * (and that retry hands off again) or dead-lettered.
 */
async function handOff(env: Env, connection: string, run: MlsRun, seq: number): Promise<void> {
  await enqueue(env, "mls", { v: 1, kind: "mls", job: "page", connection, run, seq } satisfies Msg);
}

async function runPage(env: Env, msg: Extract<Msg, { job: "page" }>, attempts: number): Promise<Result<string>> {
  const c = mlsConnection(env, msg.connection);
  if (!c.ok) return c;
  const conn = c.value;
  const opts = resoOptions(conn);
  const db = env.DB;
  const state = await getSync(db, conn.id, msg.run);
  // The retry of a page applied whose next page may never have reached the queue: hand it off.
  if (state && needsHandOff(state, msg.seq, attempts)) {
    await handOff(env, conn.id, msg.run, state.seq);
    return ok(`handed_off:${msg.run}:${state.seq}`);
  }
  // A copy of a page already applied, or of a run since restarted: nothing to do.
  if (state?.status !== "running" || state.seq !== msg.seq) return ok("stale");
  const client = new ResoClient(connectionFor(env, conn));
  let ref: PageRef = state.next_link ? { nextLink: state.next_link } : firstPage(msg.run, state.phase, state.cursor, opts);
  let page = await client.page(ref);
  // A next link the server no longer honours (RESO sets no lifetime for one): the run goes on from
  // its own cursor, the newest stamp or the last key of the pages applied.
  const refused = !page.ok && state.next_link && page.error.code === "vendor_http" && !page.error.retryable ? page : null;
  if (refused) {
    log("warn", "mls.next_link_refused", { connection: conn.id, run: msg.run, status: refused.error.status });
    ref = resumeFrom(msg.run, state.cursor, opts);
    page = await client.page(ref);
  }
  const now = Date.now();
  if (!page.ok) {
    await recordSyncError(db, conn.id, msg.run, `${page.error.code}: ${page.error.message}`, now);
    return page;
  }
  const { records, bytes } = page.value;
  // A server's link that pages by `$skip` counts into an answer that moves (a record read changes
  // and goes to the end, a deleted one leaves): the run asks on from its own position instead.
  const server = page.value.nextLink;
  const nextLink = server && !pagesBySkip(server) ? server : selfNext(msg.run, records, ref, opts, conn.baseUrl);
  // Its own query from the cursor leads back to the link of its own refused (a `$skip` past one
  // stamp, which Core §2.5.7 lets an MLS limit, or that stamp read in key order): asking on would
  // go round forever. It fails, to a dead letter.
  if (refused && nextLink === state.next_link) {
    await recordSyncError(db, conn.id, msg.run, refused.error.message, now);
    return refused;
  }
  const advance = (extra: { records: number; rejected: number; cursor: string | null }) =>
    advanceStatement(db, {
      connection: conn.id,
      job: msg.run,
      seq: msg.seq,
      nextLink,
      bytes,
      now,
      donePhase: msg.run === RUN_KEYS ? "keys" : "incremental",
      ...extra,
    });
  // Each is traced; the operator hears of them once per connection, as of refused deliveries.
  // Raised before the page is applied, so a failing alert retries the page rather than go unsaid.
  const alertUnread = async (refused: string[]) => {
    if (refused.length)
      await fireAlert(env, {
        key: `mls_rejected:${conn.id}`,
        severity: "warning",
        title: `${conn.id} serves records the hub cannot read`,
        detail: `${refused.length} in a ${msg.run} page, as ${refused[0]}`.slice(0, 500),
      });
  };
  let notes: RecordedJob[] = [];
  let fetches: RecordedJob[] = [];
  let advanced: boolean;
  if (msg.run === RUN_LISTINGS) {
    const applied = await listingWrites(db, conn.id, records, now, state.cursor);
    notes = await inquirerNotes(env, conn, applied.changes);
    await alertUnread(applied.refused);
    // The advance goes first in the batch: its compare-and-set result says whether this copy won,
    // and the notes right after it are recorded only if it did.
    const results = await db.batch([
      advance({ records: applied.stored, rejected: applied.refused.length, cursor: applied.cursor }),
      ...outboxJobStatements(db, notes, now, "if_changed"),
      ...applied.writes,
    ]);
    advanced = (results[0]?.meta.changes ?? 0) > 0;
  } else if (msg.run === RUN_MEMBERS || msg.run === RUN_OFFICES) {
    const applied = await rosterWrites(db, conn.id, msg.run, records, now, state.cursor);
    await alertUnread(applied.refused);
    const results = await db.batch([
      advance({ records: applied.stored, rejected: applied.refused.length, cursor: applied.cursor }),
      ...applied.writes,
    ]);
    advanced = (results[0]?.meta.changes ?? 0) > 0;
  } else {
    const keys = records.map((r) => r["ListingKey"]).filter((k): k is string => typeof k === "string");
    fetches = await missingFetches(db, conn, `${state.pass_id ?? ""}:${msg.seq}`, keys);
    const results = await db.batch([
      advance({ records: keys.length, rejected: records.length - keys.length, cursor: keys.at(-1) ?? null }),
      // Recorded with the page, as the notes are: a retry of this page finds it applied.
      ...outboxJobStatements(db, fetches, now, "if_changed"),
      markSeenStatement(db, conn.id, state.pass_id ?? "", keys),
    ]);
    advanced = (results[0]?.meta.changes ?? 0) > 0;
    if (advanced && nextLink === null && (await keysPassWhole(env, conn.id, state.pass_id ?? ""))) {
      const gone = await markUnseenOutOfFeed(db, conn.id, state.pass_id ?? "", state.started_at ?? now, now);
      if (gone.length) {
        await addRemoved(db, conn.id, msg.run, gone.length);
        for (let i = 0; i < gone.length; i += 50) {
          await db.batch(
            gone.slice(i, i + 50).map((k) =>
              traceStatement(db, {
                subject: listingSubject(k),
                stage: "LISTING_OUT_OF_FEED",
                detail: `not in ${conn.id}'s feed`,
                at: now,
              }),
            ),
          );
        }
      }
    }
  }
  if (!advanced) return ok("stale");
  // The next page first: should this throw, the message is retried and its retry hands off.
  if (nextLink) await handOff(env, conn.id, msg.run, msg.seq + 1);
  await sendRecorded(env, [...notes, ...fetches]);
  return ok(`page:${msg.run}:${msg.seq}:${records.length}${notes.length ? `:notes:${notes.length}` : ""}`);
}

/**
 * Fetches named records (`ListingKey eq ... or ...`); a key the MLS no longer serves is out of the
 * feed. The keys an answer left out are asked for again: a server may answer fewer records than
 * asked (Core §2.5.5), so only a key left out by an answer serving none of those asked is gone.
 */
async function runFetch(env: Env, msg: Extract<Msg, { job: "fetch" }>): Promise<Result<string>> {
  const c = mlsConnection(env, msg.connection);
  if (!c.ok) return c;
  const conn = c.value;
  const opts = resoOptions(conn);
  const client = new ResoClient(connectionFor(env, conn));
  const records: Array<Record<string, unknown>> = [];
  let gone = msg.keys;
  while (gone.length) {
    const filter = gone.map((k) => `ListingKey eq ${odataString(k)}`).join(" or ");
    const page = await client.page({
      resource: "Property",
      query: { $filter: opts.filter ? `(${filter}) and (${opts.filter})` : filter, $top: String(gone.length) },
    });
    if (!page.ok) return page;
    records.push(...page.value.records);
    const served = new Set(page.value.records.map((r) => r["ListingKey"]));
    const left = gone.filter((k) => !served.has(k));
    if (left.length === gone.length) break;
    gone = left;
  }
  const now = Date.now();
  const applied = await listingWrites(env.DB, conn.id, records, now);
  const notes = await inquirerNotes(env, conn, applied.changes);
  const writes = [...applied.writes, ...outboxJobStatements(env.DB, notes, now, "always")];
  if (gone.length) {
    writes.push(
      outOfFeedStatement(env.DB, gone, now),
      ...gone.map((k) =>
        traceStatement(env.DB, {
          subject: listingSubject(k),
          stage: "LISTING_OUT_OF_FEED",
          detail: `${msg.reason}: not served by ${conn.id}`,
          at: now,
        }),
      ),
    );
  }
  if (writes.length) await env.DB.batch(writes);
  await sendRecorded(env, notes);
  return ok(`fetched:${applied.stored}:gone:${gone.length}${notes.length ? `:notes:${notes.length}` : ""}`);
}

/**
 * Adds the note about a listing change to the CRM person, once per change and person: the person
 * as they are now, so two people merged since they both asked get one note.
 */
async function runNote(env: Env, msg: Extract<Msg, { job: "note" }>): Promise<Result<string>> {
  const config = brokerageConfig(env);
  const crm = crmFor(env, config);
  // A person merged since they asked: their links moved to the one they were merged into.
  let person = await getPerson(env.DB, msg.personId);
  while (person?.merged_into) person = await getPerson(env.DB, person.merged_into);
  return once(env.DB, `listing:${msg.changeId}`, `crm.listing_note:${person?.id ?? msg.personId}`, async () => {
    const crmId = person && (await findExternalId(env.DB, person.id, crm.system, "person"));
    const now = Date.now();
    if (!crmId) return ok({ result: "not_in_crm", writes: [] });
    const r = await crm.addNote(crmId, msg.subject, msg.body);
    if (!r.ok) return r;
    return ok({
      result: `noted:${crmId}`,
      writes: [
        traceStatement(env.DB, {
          subject: msg.personId,
          stage: "LISTING_NOTE",
          detail: `${crm.system}:${crmId} about ${listingSubject(msg.listingKey)}`,
          at: now,
        }),
      ],
    });
  });
}

/**
 * An MLS's EntityEvent push, as the canonical notice ingest made of it: the changed Property
 * records are fetched (50 keys a request; the rest as fetch jobs of their own). Pushes of other
 * resources are acknowledged: Member and Office changes arrive with their next incremental poll,
 * Media is not replicated.
 */
async function entityEventsChanged(env: Env, body: unknown): Promise<Result<string>> {
  const msg = parseCanonicalMessage(body);
  if (!msg.ok) return permanent(msg.code, msg.message);
  const event = msg.value.event;
  if (event.type !== "vendor.resource_changed" || event.data.system !== "reso")
    return permanent("message_invalid", `mls queue got ${event.type}`);
  if (event.data.resource !== "Property") return ok(`not_replicated:${event.data.resource}`);
  const mls = brokerageConfig(env).mls;
  if (!mls) return permanent("mls_not_configured", "an EntityEvent arrived but no mls connection is configured");
  const jobs: Msg[] = [];
  for (let i = 0; i < event.data.ids.length; i += 50)
    jobs.push({
      v: 1,
      kind: "mls",
      job: "fetch",
      connection: mls,
      keys: event.data.ids.slice(i, i + 50),
      reason: `EntityEvent ${event.source.deliveryId}`,
    });
  const [first, ...rest] = jobs;
  if (first?.job !== "fetch") return ok("nothing_to_fetch");
  await enqueue(env, "mls", rest);
  return runFetch(env, first);
}

/** The `mls` queue's consumer (and the CRM queue's, for listing notes). */
export async function mlsMessage(body: unknown, env: Env, meta: { attempts: number } = { attempts: 1 }): Promise<Result<string>> {
  if (!isMlsMessage(body)) return entityEventsChanged(env, body);
  const parsed = MlsMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", `mls message: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const msg = parsed.data;
  const r =
    msg.job === "page" ? await runPage(env, msg, meta.attempts) : msg.job === "fetch" ? await runFetch(env, msg) : await runNote(env, msg);
  if (!r.ok) log("warn", "mls_job_failed", { job: msg.job, code: r.error.code });
  return r;
}
