/**
 * The mapping audit over the connected systems: a few recent records of each object type, read
 * only (no vendor write), audited against the brokerage's declared fields. What the hub would
 * write is computed by the same body builders the pushes use.
 */
import type { BrokerageConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import { auditMapping, type AccountFields, type AuditReport, type AuditSystem, type VendorSample, type Writers } from "../mapping/audit";
import type { Result } from "../lib/result";
import { loopFieldDetails } from "../vendors/dotloop/custom-fields";
import { DOTLOOP_STANDARD_LABELS } from "../vendors/dotloop/to-vendor";
import { DotloopTms } from "../vendors/dotloop/tms";
import { FollowUpBossClient } from "../vendors/followupboss/client";
import { fubBody } from "../vendors/followupboss/custom-fields";
import { QuickBooksClient } from "../vendors/quickbooks/client";
import { documentFields } from "../vendors/quickbooks/custom-fields";
import { openConnection } from "../vendors/registry";
import { SkySlopeClient } from "../vendors/skyslope/client";
import { saleCustomFields } from "../vendors/skyslope/custom-fields";
import type { SkySlopeSale } from "../vendors/skyslope/schemas";
import { utcInstant } from "../vendors/skyslope/time";

/** Records sampled per object type: enough to see each field used, few enough to spare rate limits. */
const SAMPLES = 3;

type Gathered = { samples: VendorSample[]; accounts: AccountFields[] };
type Unreachable = { system: AuditSystem; reason: string };

function failed(system: AuditSystem, r: Extract<Result<unknown>, { ok: false }>): Unreachable {
  return { system, reason: `${r.error.code}: ${r.error.message}`.slice(0, 300) };
}

async function followUpBoss(env: Env, config: BrokerageConfig, id: string): Promise<Gathered | Unreachable> {
  const client = new FollowUpBossClient(openConnection(env, config, id));
  const [defs, people, deals] = await Promise.all([
    client.listCustomFields("deal"),
    client.listCustomFields("person"),
    client.listDeals({ limit: SAMPLES, sort: "-updated" }),
  ]);
  if (!defs.ok) return failed("followupboss", defs);
  if (!people.ok) return failed("followupboss", people);
  if (!deals.ok) return failed("followupboss", deals);
  return {
    accounts: [
      { system: "followupboss", object: "deal", defined: defs.value.map((d) => ({ key: d.name, ...(d.type ? { type: d.type } : {}) })) },
      {
        system: "followupboss",
        object: "person",
        defined: people.value.map((d) => ({ key: d.name, ...(d.type ? { type: d.type } : {}) })),
      },
    ],
    samples: deals.value.deals.slice(0, SAMPLES).map((d) => ({
      system: "followupboss",
      object: "deal",
      id: String(d.id),
      fields: Object.fromEntries(Object.entries(d).filter(([k]) => /^custom[A-Z0-9]/.test(k))),
    })),
  };
}

async function dotloop(env: Env, config: BrokerageConfig, id: string): Promise<Gathered | Unreachable> {
  const tms = new DotloopTms(openConnection(env, config, id), config);
  const pid = await tms.profileId();
  if (!pid.ok) return failed("dotloop", pid);
  const loops = await tms.client.listLoops(pid.value, { batchSize: SAMPLES, sort: "updated:desc" });
  if (!loops.ok) return failed("dotloop", loops);
  const samples: VendorSample[] = [];
  // The labels the hub writes itself are no candidates for mapping, unless a field is mapped there.
  const mapped = new Set(Object.values(config.fields).flatMap((d) => (d.dotloop ? [`${d.dotloop.section} / ${d.dotloop.field}`] : [])));
  for (const loop of loops.value.loops.slice(0, SAMPLES)) {
    const details = await tms.client.getLoopDetails(pid.value, String(loop.id));
    if (!details.ok) return failed("dotloop", details);
    const fields: Record<string, unknown> = {};
    for (const [section, labels] of Object.entries(details.value as Record<string, Record<string, unknown>>)) {
      for (const [label, value] of Object.entries(labels ?? {})) {
        const key = `${section} / ${label}`;
        if (!DOTLOOP_STANDARD_LABELS.has(key) || mapped.has(key)) fields[key] = value;
      }
    }
    samples.push({ system: "dotloop", object: "loop", id: String(loop.id), fields });
  }
  return { samples, accounts: [] };
}

/** How far back the audit looks for SkySlope sales an agent has worked on. */
const SKYSLOPE_RECENT_MS = 30 * 86_400_000;

/**
 * SkySlope's sales list has no documented order, so the samples are the sales its bulk export
 * shows modified most recently (within 30 days, as the poller asks it), each read whole; a quiet
 * month falls back to the list's first page.
 */
async function skySlope(env: Env, config: BrokerageConfig, id: string): Promise<Gathered | Unreachable> {
  const client = new SkySlopeClient(openConnection(env, config, id));
  const recent = await client.listFiles({ type: "sale", modifiedAfter: new Date(Date.now() - SKYSLOPE_RECENT_MS).toISOString() });
  if (!recent.ok) return failed("skyslope", recent);
  const guids = recent.value.files
    .flatMap((f) =>
      f.objectType === "sale" && f.saleGuid ? [{ guid: f.saleGuid, at: Date.parse(utcInstant(f.modifiedOn ?? "")) || 0 }] : [],
    )
    .sort((a, b) => b.at - a.at)
    .slice(0, SAMPLES);
  const sales: SkySlopeSale[] = [];
  for (const { guid } of guids) {
    const sale = await client.getSale(guid);
    if (!sale.ok) return failed("skyslope", sale);
    sales.push(sale.value);
  }
  if (sales.length === 0) {
    const first = await client.listSales({});
    if (!first.ok) return failed("skyslope", first);
    sales.push(...first.value.sales.slice(0, SAMPLES));
  }
  return {
    accounts: [],
    samples: sales.map((s) => ({
      system: "skyslope",
      object: "sale",
      id: s.saleGuid,
      fields: Object.fromEntries(Object.entries(s.customFields ?? {}).map(([k, v]) => [`customFields.${k}`, v])),
    })),
  };
}

async function quickBooks(env: Env, config: BrokerageConfig, id: string): Promise<Gathered | Unreachable> {
  const client = new QuickBooksClient(openConnection(env, config, id));
  const prefs = await client.preferences();
  if (!prefs.ok) return failed("quickbooks", prefs);
  const invoices = await client.query(`select * from Invoice orderby MetaData.LastUpdatedTime desc maxresults ${SAMPLES}`);
  if (!invoices.ok) return failed("quickbooks", invoices);
  const list = Array.isArray(invoices.value.Invoice) ? (invoices.value.Invoice as Array<Record<string, unknown>>) : [];
  return {
    accounts: [
      {
        system: "quickbooks",
        object: "invoice",
        defined: prefs.value.salesCustomFields.map((d) => ({ key: `CustomField: ${d.name}`, type: "text" })),
      },
    ],
    samples: list.map((inv) => ({
      system: "quickbooks",
      object: "invoice",
      id: String(inv.Id ?? "?"),
      fields: Object.fromEntries(
        (Array.isArray(inv.CustomField) ? (inv.CustomField as Array<Record<string, unknown>>) : []).map((f) => [
          `CustomField: ${String(f.Name ?? f.DefinitionId)}`,
          f.StringValue ?? null,
        ]),
      ),
    })),
  };
}

const GATHER: Record<AuditSystem, (env: Env, config: BrokerageConfig, id: string) => Promise<Gathered | Unreachable>> = {
  followupboss: followUpBoss,
  dotloop,
  skyslope: skySlope,
  quickbooks: quickBooks,
};

/** Runs the audit against every connected system of the configuration (read only). */
export async function runMappingAudit(env: Env): Promise<AuditReport> {
  const config = brokerageConfig(env);
  const fields = config.fields;
  const active = [config.crm, config.tms, config.accounting].flatMap((id) => {
    const vendor = id ? config.connections.find((c) => c.id === id)?.vendor : undefined;
    return id && vendor && vendor in GATHER ? [{ id, vendor: vendor as AuditSystem }] : [];
  });
  const samples: VendorSample[] = [];
  const accounts: AccountFields[] = [];
  const unreachable: Unreachable[] = [];
  for (const { id, vendor } of active) {
    const got = await GATHER[vendor](env, config, id);
    if ("reason" in got) unreachable.push(got);
    else {
      samples.push(...got.samples);
      accounts.push(...got.accounts);
    }
  }
  const all: Required<Writers> = {
    followupboss: (v) => fubBody(fields, "deal", v),
    dotloop: (v) => loopFieldDetails(fields, v),
    skyslope: (v) => ({ customFields: saleCustomFields(fields, v) }),
    quickbooks: (v) => documentFields(fields, v),
  };
  const writers: Writers = Object.fromEntries(active.map(({ vendor }) => [vendor, all[vendor]]));
  // The transaction id the hub writes back to the CRM deal is the hub's own field, not a candidate.
  const standard = { followupboss: { [config.transactionIdField]: "(hub: transaction id)" } };
  return auditMapping({ fields, samples, accounts, writers, unreachable, standard, now: Date.now() });
}
