// The deal side of the chaos workload, driven the way agents work: deals are created and moved
// in Follow Up Boss, loops are updated and closed in Dotloop (each through the vendor's own API),
// and the hub must keep the systems in step. Reconciled at the end against the sandbox records.
import { devSecrets } from "./sign.mjs";

const secrets = devSecrets();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function json(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Connects the hub's OAuth vendors the way a broker would: /connect/:vendor, approve, callback. */
export async function connectVendors(stack) {
  for (const vendor of ["dotloop", "quickbooks"]) {
    let url = `${stack.hub}/connect/${vendor}`;
    let cookie = "";
    for (let hop = 0; hop < 4; hop++) {
      const toHub = url.startsWith(stack.hub);
      const r = await fetch(url, {
        redirect: "manual",
        headers: toHub ? { authorization: `Bearer ${secrets.OPS_TOKEN}`, ...(cookie ? { cookie } : {}) } : {},
      });
      const set = r.headers.get("set-cookie");
      if (set) cookie = set.split(";")[0];
      const loc = r.headers.get("location");
      if (r.status >= 300 && r.status < 400 && loc) {
        url = new URL(loc, url).toString();
        continue;
      }
      if (!r.ok) return false;
      url = "";
      break;
    }
  }
  return true;
}

/** The driver's own Dotloop session, as an agent's browser would have (retried through faults). */
async function agentDotloopToken(stack) {
  for (let i = 0; i < 30; i++) {
    const t = await agentDotloopTokenOnce(stack).catch(() => null);
    if (t) return t;
    await sleep(500);
  }
  throw new Error("the agent could not sign in to Dotloop");
}

async function agentDotloopTokenOnce(stack) {
  const redirect = "http://127.0.0.1:1/cb";
  const auth = await fetch(
    `${stack.sandbox}/dotloop/oauth/authorize?response_type=code&client_id=${secrets.DOTLOOP_CLIENT_ID}&redirect_uri=${encodeURIComponent(redirect)}`,
    { redirect: "manual" },
  );
  const loc = auth.headers.get("location");
  if (!loc) return null;
  const code = new URL(loc).searchParams.get("code");
  const tok = await fetch(`${stack.sandbox}/dotloop/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${secrets.DOTLOOP_CLIENT_ID}:${secrets.DOTLOOP_CLIENT_SECRET}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect }),
  });
  if (!tok.ok) return null;
  return (await tok.json()).access_token;
}

const fubHeaders = () => ({
  authorization: `Basic ${btoa(`${secrets.FOLLOWUPBOSS_API_KEY}:`)}`,
  "x-system": secrets.FOLLOWUPBOSS_SYSTEM,
  "x-system-key": secrets.FOLLOWUPBOSS_SYSTEM_KEY,
  "content-type": "application/json",
});

async function fub(stack, method, path, body) {
  for (let i = 0; i < 30; i++) {
    const r = await fetch(`${stack.sandbox}/followupboss${path}`, {
      method,
      headers: fubHeaders(),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (r.ok) return json(r);
    if (r.status < 500 && r.status !== 429) throw new Error(`FUB ${method} ${path}: ${r.status} ${await r.text()}`);
    await sleep(300); // the same faults hit the agent's clicks; an agent tries again
  }
  throw new Error(`FUB ${method} ${path} kept failing`);
}

/** `agent.token` is the agent's session; an expired one (401) is renewed by signing in again. */
async function dotloop(stack, agent, method, path, body) {
  for (let i = 0; i < 30; i++) {
    const r = await fetch(`${stack.sandbox}/dotloop/public/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${agent.token}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (r.ok) return json(r);
    if (r.status < 500 && r.status !== 429 && r.status !== 401) throw new Error(`Dotloop ${method} ${path}: ${r.status} ${await r.text()}`);
    if (r.status === 401) agent.token = await agentDotloopToken(stack);
    await sleep(300);
  }
  throw new Error(`Dotloop ${method} ${path} kept failing`);
}

let lastTick = 0;
let lastScheduled = 0;
/** The least time the soak's clock moves between two cron runs: more than the hub's longest sweep gate (10 min). */
const TICK_STEP_MS = 11 * 60_000;

/**
 * Fires the hub's 5-minute cron as if `aheadMs` had passed, at most once per 10 s. Through the
 * runtime's own trigger (/cdn-cgi/handler/scheduled), which honours `time`; wrangler's
 * /__scheduled ignores it, so the soak's backup polls, journal and stalled-lead sweeps never ran
 * ahead of their wall-clock timers. Not more often: each tick pings every vendor and runs a full
 * backup poll (which re-reads the records changed in its cursor's second), and ticks every 2-6 s
 * spent Dotloop's whole 100 calls a minute on cron alone — a cadence no deployment has.
 * The soak's clock only moves forward, and by at least TICK_STEP_MS a tick: two ticks 10 s apart
 * each "20 minutes ahead" of the wall clock would otherwise be 10 s apart to the hub, and a sweep
 * that waits 10 minutes between copies (a lead whose republished copy died in a hub restart)
 * would never run twice in one soak, as it would in production.
 */
export async function cronTick(stack, aheadMs = 0) {
  if (Date.now() - lastTick < 10_000) return false;
  lastTick = Date.now();
  lastScheduled = Math.max(Date.now() + aheadMs, lastScheduled + (aheadMs > 0 ? TICK_STEP_MS : 0));
  await fetch(`${stack.hub}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/5 * * * *")}&time=${lastScheduled}`)
    .then((r) => r.body?.cancel())
    .catch(() => undefined);
  return true;
}

async function records(stack, vendor) {
  return (await fetch(`${stack.sandbox}/_sandbox/${vendor}/records`)).json();
}

/** The hub's own view of one CRM deal (ops API): golden record, links and its own trace stages. */
async function hubDeal(ops, fubDealId) {
  const found = await ops("/records/search", { method: "POST", body: JSON.stringify({ q: String(fubDealId) }) }).catch(() => null);
  const deal = (found?.deals ?? []).find((d) =>
    d.links.some((l) => l.system === "followupboss" && l.kind === "deal" && l.externalId === String(fubDealId)),
  );
  if (!deal) return null;
  const detail = await ops(`/records/${deal.id}`).catch(() => null);
  return {
    id: deal.id,
    stage: deal.stage,
    closedAt: deal.closedAt,
    links: deal.links.map((l) => `${l.system}:${l.kind}:${l.externalId}`),
    traces: (detail?.traces ?? [])
      .filter((t) => t.subject === deal.id)
      .map((t) => `${t.stage}${t.outcome === "ok" ? "" : `(${t.outcome})`}`),
  };
}

/** The first step of the deal's lifecycle that did not happen, from the sandbox's records. */
function stoppedAt({ deal, loops, invoices, closedStage }) {
  if (!deal) return "crm_deal_missing";
  if (loops.length === 0) return "loop_not_created";
  const tx = deal.customTransactionID ?? deal.custom?.customTransactionID;
  if (String(tx) !== String(loops[0].id)) return "transaction_id_not_written";
  if (loops[0].status !== "SOLD") return "loop_not_closed_by_agent";
  if (invoices.length === 0) return "invoice_not_created";
  if (deal.stageId !== closedStage) return "crm_stage_not_closed";
  return "complete";
}

export async function runLifecycle(stack, { deals, log, people, ops, midLifecycle }) {
  if (deals === 0) {
    log("lifecycle: no deals in this run");
    return {
      planned: [],
      agentPass: async () => 0,
      loopTimes: () => ({}),
      reconcile: async () => ({ events: 0, applied: 0, lost: 0, duplicates: 0, mismatched: 0, expected: 0 }),
    };
  }
  // Deal stages live in the deal pipelines (/v1/stages lists people stages).
  const pipelines = (await fub(stack, "GET", "/v1/pipelines?limit=100")).pipelines ?? [];
  const buyers = pipelines.find((p) => /buy/i.test(p.name)) ?? pipelines[0];
  const stageId = (name) => buyers?.stages?.find((s) => s.name === name)?.id;
  // The agents work on contacts that are in the CRM: wait (bounded) for enough of the leads to
  // land, and open deals for the first of those, while the rest of the leads are still flowing.
  let fubPeople = [];
  let ready = [];
  for (let i = 0; i < 60; i++) {
    fubPeople = (await records(stack, "followupboss")).person ?? [];
    ready = people.filter((p) => fubPeople.some((x) => (x.emails ?? []).some((e) => e.value === p.email)));
    if (ready.length >= Math.min(deals, people.length)) break;
    await cronTick(stack, 20 * 60_000); // time passes: backup polls, the journal, stalled leads
    await sleep(2000);
  }
  const planned = [];
  let events = 0;
  for (let i = 0; i < Math.min(deals, ready.length); i++) {
    const p = ready[i];
    const contact = fubPeople.find((x) => (x.emails ?? []).some((e) => e.value === p.email));
    if (!contact) continue;
    const address = `${100 + i} Chaos St, Austin, TX 78701`;
    const deal = await fub(stack, "POST", "/v1/deals", {
      name: address,
      stageId: stageId("Active Client"),
      peopleIds: [contact.id],
      price: 400000 + i * 1000,
    });
    await fub(stack, "PUT", `/v1/deals/${deal.id}`, { stageId: stageId("Under Contract") });
    planned.push({ dealId: deal.id, address, price: 400000 + i * 1000 });
    events += 2;
  }
  log(`lifecycle: ${planned.length} deals moved to Under Contract (${fubPeople.length} contacts in the CRM)`);
  // A fault the soak may inject while the hub works on the deals (a restart, say).
  if (midLifecycle) await midLifecycle();
  // The agent closes each loop in Dotloop as it appears, for as long as the soak runs: through
  // the faults, the catch-up and the replay of dead letters, as an agent works a loop whenever
  // the hub brings it. How long each loop took is measured; a loop that never comes is lost.
  const agent = { token: await agentDotloopToken(stack) };
  const openedAt = Date.now();
  const closedLoops = new Map(); // loop id -> seconds from the deals' Under Contract to the close
  async function agentPass() {
    const loops = (await records(stack, "dotloop")).loop ?? [];
    let closed = 0;
    for (const loop of loops) {
      if (closedLoops.has(loop.id)) continue;
      await dotloop(stack, agent, "PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, {
        Financials: { "Sale Commission Total": "12,000" },
        "Contract Dates": { "Closing Date": "12/15/2026" },
      });
      await dotloop(stack, agent, "PATCH", `/profile/${loop.profileId}/loop/${loop.id}`, { status: "SOLD" });
      closedLoops.set(loop.id, (Date.now() - openedAt) / 1000);
      closed++;
      events += 2;
    }
    return closed;
  }
  // The faults stay on while the hub works on the deals: a window that grows with the work
  // queued ahead of them (15 s a deal, at least 2 minutes), or until every loop is closed.
  const until = Date.now() + Math.max(120_000, planned.length * 15_000);
  while (Date.now() < until) {
    await agentPass();
    if (closedLoops.size >= planned.length) break;
    await cronTick(stack, 20 * 60_000); // time passes: backup polls, the journal, stalled leads
    await sleep(2000);
  }
  const inWindow = closedLoops.size;
  log(`lifecycle: ${inWindow} loops closed while the faults were on`);
  return {
    planned,
    /** One more look by the agent, after the hub caught up: how many loops it closed now. */
    agentPass,
    /** Seconds to each loop's close, and how many came only after the faults were off. */
    loopTimes() {
      const s = [...closedLoops.values()].sort((a, b) => a - b);
      const at = (q) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]) : null);
      return { loops_closed: s.length, loops_late: s.length - inWindow, loop_close_p50_s: at(0.5), loop_close_max_s: at(1) };
    },
    async reconcile() {
      const fubRecs = await records(stack, "followupboss");
      const dl = await records(stack, "dotloop");
      const qbo = await records(stack, "quickbooks");
      let lost = 0;
      let duplicates = 0;
      let mismatched = 0;
      let applied = 0;
      const problems = [];
      const closed = stageId("Closed");
      for (const d of planned) {
        const deal = (fubRecs.deal ?? []).find((x) => x.id === d.dealId);
        const matchingLoops = (dl.loop ?? []).filter((l) => (l.name ?? "").includes(d.address.split(",")[0]));
        const invoices = (qbo["qbo:Invoice"] ?? []).filter((inv) => JSON.stringify(inv).includes(d.address.split(",")[0]));
        if (matchingLoops.length === 0 || invoices.length === 0) lost++;
        if (matchingLoops.length > 1) duplicates += matchingLoops.length - 1;
        if (invoices.length > 1) duplicates += invoices.length - 1;
        const txField = deal?.customTransactionID ?? deal?.custom?.customTransactionID;
        if (deal && matchingLoops.length === 1 && (deal.stageId !== closed || String(txField) !== String(matchingLoops[0].id)))
          mismatched++;
        if (matchingLoops.length === 1 && invoices.length === 1) applied++;
        const step = stoppedAt({ deal, loops: matchingLoops, invoices, closedStage: closed });
        if (step !== "complete" || matchingLoops.length > 1 || invoices.length > 1) {
          // Say where this deal's lifecycle stopped: the sandbox's records and the hub's trace.
          const hub = ops ? await hubDeal(ops, d.dealId) : null;
          const loopView = matchingLoops.map((l) => `${l.id}:${l.status}:${l.updated}`).join(",") || "none";
          log(
            `deal ${d.dealId} (${d.address.split(",")[0]}) stopped at ${step}: crm stage ${deal?.stageId ?? "?"} tx ${deal?.customTransactionID ?? deal?.custom?.customTransactionID ?? "-"}, loops ${loopView}, invoices ${invoices.length}`,
          );
          log(
            `  hub: ${hub ? `${hub.id} stage ${hub.stage} closed ${hub.closedAt ?? "-"} links [${hub.links.join(" ")}] traces [${hub.traces.join(" ")}]` : "no golden deal linked to this CRM deal"}`,
          );
          problems.push({ dealId: d.dealId, step, hub });
        }
      }
      return { events, applied, lost, duplicates, mismatched, expected: planned.length, problems };
    },
  };
}
