// The deal side of the chaos workload, driven the way agents work: deals are created and moved
// in Follow Up Boss, loops are updated and closed in Dotloop (each through the vendor's own API),
// and the hub must keep the systems in step. Reconciled at the end against the sandbox records.
import { devSecrets } from "./sign.mjs";

const secrets = devSecrets();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function json(res) {
  const text = await res.text();
  try { return JSON.parse(text); } catch { return text; }
}

/** Connects the hub's OAuth vendors the way a broker would: /connect/:vendor, approve, callback. */
export async function connectVendors(stack) {
  for (const vendor of ["dotloop", "quickbooks"]) {
    let url = `${stack.hub}/connect/${vendor}`;
    let cookie = "";
    for (let hop = 0; hop < 4; hop++) {
      const toHub = url.startsWith(stack.hub);
      const r = await fetch(url, { redirect: "manual", headers: toHub ? { authorization: `Bearer ${secrets.OPS_TOKEN}`, ...(cookie ? { cookie } : {}) } : {} });
      const set = r.headers.get("set-cookie");
      if (set) cookie = set.split(";")[0];
      const loc = r.headers.get("location");
      if (r.status >= 300 && r.status < 400 && loc) { url = new URL(loc, url).toString(); continue; }
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
  const auth = await fetch(`${stack.sandbox}/dotloop/oauth/authorize?response_type=code&client_id=${secrets.DOTLOOP_CLIENT_ID}&redirect_uri=${encodeURIComponent(redirect)}`, { redirect: "manual" });
  const loc = auth.headers.get("location");
  if (!loc) return null;
  const code = new URL(loc).searchParams.get("code");
  const tok = await fetch(`${stack.sandbox}/dotloop/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${secrets.DOTLOOP_CLIENT_ID}:${secrets.DOTLOOP_CLIENT_SECRET}`)}`, "content-type": "application/x-www-form-urlencoded" },
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
    const r = await fetch(`${stack.sandbox}/followupboss${path}`, { method, headers: fubHeaders(), ...(body ? { body: JSON.stringify(body) } : {}) });
    if (r.ok) return json(r);
    if (r.status < 500 && r.status !== 429) throw new Error(`FUB ${method} ${path}: ${r.status} ${await r.text()}`);
    await sleep(300); // the same faults hit the agent's clicks; an agent tries again
  }
  throw new Error(`FUB ${method} ${path} kept failing`);
}

async function dotloop(stack, token, method, path, body) {
  for (let i = 0; i < 30; i++) {
    const r = await fetch(`${stack.sandbox}/dotloop/public/v2${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (r.ok) return json(r);
    if (r.status < 500 && r.status !== 429 && r.status !== 401) throw new Error(`Dotloop ${method} ${path}: ${r.status} ${await r.text()}`);
    await sleep(300);
  }
  throw new Error(`Dotloop ${method} ${path} kept failing`);
}

async function records(stack, vendor) {
  return (await fetch(`${stack.sandbox}/_sandbox/${vendor}/records`)).json();
}

export async function runLifecycle(stack, { deals, log, people }) {
  if (deals === 0) {
    log("lifecycle: no deals in this run");
    return { reconcile: async () => ({ events: 0, applied: 0, lost: 0, duplicates: 0, mismatched: 0, expected: 0 }) };
  }
  // Deal stages live in the deal pipelines (/v1/stages lists people stages).
  const pipelines = (await fub(stack, "GET", "/v1/pipelines?limit=100")).pipelines ?? [];
  const buyers = pipelines.find((p) => /buy/i.test(p.name)) ?? pipelines[0];
  const stageId = (name) => buyers?.stages?.find((s) => s.name === name)?.id;
  // The agents work on contacts that are in the CRM: wait (bounded) for the leads to land.
  let fubPeople = [];
  for (let i = 0; i < 60; i++) {
    fubPeople = (await records(stack, "followupboss")).person ?? [];
    const have = people.slice(0, deals).filter((p) => fubPeople.some((x) => (x.emails ?? []).some((e) => e.value === p.email))).length;
    if (have >= Math.min(deals, people.length)) break;
    await fetch(`${stack.hub}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`).catch(() => undefined);
    await sleep(2000);
  }
  const planned = [];
  let events = 0;
  for (let i = 0; i < Math.min(deals, people.length); i++) {
    const p = people[i];
    const contact = fubPeople.find((x) => (x.emails ?? []).some((e) => e.value === p.email));
    if (!contact) continue;
    const address = `${100 + i} Chaos St, Austin, TX 78701`;
    const deal = await fub(stack, "POST", "/v1/deals", { name: address, stageId: stageId("Active Client"), peopleIds: [contact.id], price: 400000 + i * 1000 });
    await fub(stack, "PUT", `/v1/deals/${deal.id}`, { stageId: stageId("Under Contract") });
    planned.push({ dealId: deal.id, address, price: 400000 + i * 1000 });
    events += 2;
  }
  log(`lifecycle: ${planned.length} deals moved to Under Contract (${fubPeople.length} contacts in the CRM)`);
  // Wait for the loops, then close them in Dotloop as the agent would.
  const token = await agentDotloopToken(stack);
  const until = Date.now() + 120_000;
  let loops = [];
  while (Date.now() < until) {
    loops = (await records(stack, "dotloop")).loop ?? [];
    if (loops.length >= planned.length) break;
    await fetch(`${stack.hub}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`).catch(() => undefined);
    await sleep(2000);
  }
  for (const loop of loops) {
    await dotloop(stack, token, "PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, { Financials: { "Sale Commission Total": "12,000" }, "Contract Dates": { "Closing Date": "12/15/2026" } });
    await dotloop(stack, token, "PATCH", `/profile/${loop.profileId}/loop/${loop.id}`, { status: "SOLD" });
    events += 2;
  }
  log(`lifecycle: ${loops.length} loops closed`);
  return {
    async reconcile() {
      const fubRecs = await records(stack, "followupboss");
      const dl = await records(stack, "dotloop");
      const qbo = await records(stack, "quickbooks");
      let lost = 0;
      let duplicates = 0;
      let mismatched = 0;
      let applied = 0;
      const closed = stageId("Closed");
      for (const d of planned) {
        const deal = (fubRecs.deal ?? []).find((x) => x.id === d.dealId);
        const matchingLoops = (dl.loop ?? []).filter((l) => (l.name ?? "").includes(d.address.split(",")[0]));
        const invoices = (qbo["qbo:Invoice"] ?? []).filter((inv) => JSON.stringify(inv).includes(d.address.split(",")[0]));
        if (matchingLoops.length === 0 || invoices.length === 0) lost++;
        if (matchingLoops.length > 1) duplicates += matchingLoops.length - 1;
        if (invoices.length > 1) duplicates += invoices.length - 1;
        const txField = deal?.customTransactionID ?? deal?.custom?.customTransactionID;
        if (deal && matchingLoops.length === 1 && (deal.stageId !== closed || String(txField) !== String(matchingLoops[0].id))) mismatched++;
        if (matchingLoops.length === 1 && invoices.length === 1) applied++;
      }
      return { events, applied, lost, duplicates, mismatched, expected: planned.length };
    },
  };
}
