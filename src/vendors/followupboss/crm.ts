import type { CustomValue, DealStage, LeadData, Person } from "../../canonical";
import type { BrokerageConfig } from "../../config/brokerage";
import { normalizeEmail, normalizePhone } from "../../normalize";
import { ok, permanent, type Result } from "../../lib/result";
import type { CrmAdapter, CrmDeal, CrmPerson } from "../crm";
import type { Connection } from "../shared/transport";
import { FollowUpBossClient } from "./client";
import type { FubDeal, FubPerson, FubPipeline } from "./schemas";
import { leadToFubEvent } from "./to-vendor";
import { fubBody, fubFields, hasPersonFields } from "./custom-fields";

/** FUB person → canonical person (only fields the hub syncs). */
export function fubPersonToCanonical(p: FubPerson): Person {
  const emails = p.emails.flatMap((e) => {
    const n = normalizeEmail(e.value);
    return n.ok ? [{ value: n.value }] : [];
  });
  const phones = p.phones.flatMap((ph) => {
    const n = normalizePhone(ph.value);
    return n.ok ? [{ value: n.e164, ...(n.ext ? { ext: n.ext } : {}) }] : [];
  });
  return {
    id: String(p.id),
    ...(p.firstName ? { firstName: p.firstName } : {}),
    ...(p.lastName ? { lastName: p.lastName } : {}),
    emails,
    phones,
    roles: [],
    tags: [],
  };
}

/** Follow Up Boss as the brokerage's CRM. */
export class FollowUpBossCrm implements CrmAdapter {
  readonly system = "followupboss" as const;
  private readonly client: FollowUpBossClient;
  private pipelines: FubPipeline[] | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly config: BrokerageConfig,
  ) {
    this.client = new FollowUpBossClient(conn);
  }

  private stageMap(): Record<string, DealStage> {
    return this.config.stages.followupboss ?? {};
  }

  private async pipelineList(): Promise<Result<FubPipeline[]>> {
    if (this.pipelines) return ok(this.pipelines);
    const r = await this.client.listPipelines();
    if (r.ok) this.pipelines = r.value;
    return r;
  }

  async findPerson(keys: { emails: string[]; phones: string[] }): Promise<Result<{ externalId: string } | null>> {
    for (const email of keys.emails) {
      const r = await this.client.findPeople({ email });
      if (!r.ok) return r;
      if (r.value[0]) return ok({ externalId: String(r.value[0].id) });
    }
    for (const phone of keys.phones) {
      const r = await this.client.findPeople({ phone });
      if (!r.ok) return r;
      if (r.value[0]) return ok({ externalId: String(r.value[0].id) });
    }
    return ok(null);
  }

  async sendLead(lead: LeadData, opts: { sourceName: string; knownExternalId?: string; assignTo?: string }) {
    const system = this.conn.config.credentials.system;
    const r = await this.client.postEvent(leadToFubEvent(lead, { ...opts, ...(system ? { system } : {}) }));
    if (!r.ok) return r;
    if (r.value.status === 204 || !r.value.person) return ok({ externalId: null, created: false, ignored: true });
    return ok({ externalId: String(r.value.person.id), created: r.value.status === 201, ignored: false });
  }

  async getPerson(externalId: string): Promise<Result<CrmPerson | null>> {
    const r = await this.client.getPerson(Number(externalId));
    if (!r.ok) return r.error.status === 404 ? ok(null) : r;
    return ok({ person: fubPersonToCanonical(r.value), ...(r.value.updated ? { updatedAt: r.value.updated } : {}) });
  }

  async updatePerson(
    externalId: string,
    patch: { emails?: string[]; phones?: string[]; firstName?: string; lastName?: string },
  ): Promise<Result<void>> {
    const body: Record<string, unknown> = {};
    if (patch.firstName) body.firstName = patch.firstName;
    if (patch.lastName) body.lastName = patch.lastName;
    if (patch.emails) body.emails = patch.emails.map((value, i) => ({ value, isPrimary: i === 0 }));
    if (patch.phones) body.phones = patch.phones.map((value, i) => ({ value, isPrimary: i === 0 }));
    const r = await this.client.updatePerson(Number(externalId), body);
    return r.ok ? ok(undefined) : r;
  }

  async addNote(personExternalId: string, subject: string, body: string): Promise<Result<void>> {
    const r = await this.client.addNote({ personId: Number(personExternalId), subject, body });
    return r.ok ? ok(undefined) : r;
  }

  async getDeal(externalId: string): Promise<Result<CrmDeal | null>> {
    const r = await this.client.getDeal(Number(externalId));
    if (!r.ok) return r.error.status === 404 ? ok(null) : r;
    return this.toCrmDeal(r.value);
  }

  private async toCrmDeal(d: FubDeal): Promise<Result<CrmDeal>> {
    let vendorStage = d.stageName ?? null;
    if (!vendorStage && d.stageId != null) {
      const pipelines = await this.pipelineList();
      if (!pipelines.ok) return pipelines;
      vendorStage = pipelines.value.flatMap((p) => p.stages).find((s) => s.id === d.stageId)?.name ?? null;
    }
    const stage = vendorStage ? (this.stageMap()[vendorStage] ?? null) : null;
    const personIds = [...(d.peopleIds ?? []), ...(d.people ?? []).map((p) => p.id)].map(String);
    const customFields = Object.fromEntries(Object.entries(d).filter(([k]) => k.startsWith("custom")));
    const agent = d.users?.[0]?.name ?? undefined;
    // The brokerage's own fields, read through their transforms; a value that does not fit its
    // declared type is left out and named (never by value) for the consumer to raise.
    const own = fubFields(this.config.fields, "deal", d as Record<string, unknown>);
    const invalid = own.issues.map((i) => i.field);
    // Fields kept on the deal's person (its first) join the deal's own; a field on both reads the deal.
    const personExt = personIds[0];
    let personFields: CrmDeal["personFields"];
    if (hasPersonFields(this.config.fields) && personExt) {
      const p = await this.client.getPerson(Number(personExt));
      if (!p.ok && p.error.status !== 404) return p;
      if (p.ok) {
        const theirs = fubFields(this.config.fields, "person", p.value as Record<string, unknown>);
        invalid.push(...theirs.issues.map((i) => i.field).filter((f) => !(f in own.values) && !invalid.includes(f)));
        const names = Object.keys(theirs.values).filter((f) => !(f in own.values));
        if (names.length > 0) personFields = { names, ...(p.value.updated ? { updatedAt: p.value.updated } : {}) };
        own.values = { ...theirs.values, ...own.values };
      }
    }
    return ok({
      externalId: String(d.id),
      name: d.name,
      vendorStage,
      stage,
      personExternalIds: [...new Set(personIds)],
      ...(agent ? { agentName: agent } : {}),
      customFields,
      deal: {
        id: String(d.id),
        name: d.name,
        ...(stage ? { stage } : {}),
        ...(typeof d.price === "number" ? { purchasePrice: Math.round(d.price * 100) } : {}),
        dates: {},
        participants: [],
        ...(Object.keys(own.values).length > 0 ? { custom: own.values } : {}),
      },
      ...((d.updated ?? d.updatedAt) ? { updatedAt: (d.updated ?? d.updatedAt) as string } : {}),
      ...(invalid.length > 0 ? { invalidFields: invalid } : {}),
      ...(personFields ? { personFields } : {}),
    });
  }

  async updateDealFields(externalId: string, values: Readonly<Record<string, CustomValue>>): Promise<Result<void>> {
    const onPerson = fubBody(this.config.fields, "person", { ...values });
    if (Object.keys(onPerson).length > 0) {
      // Kept on the deal's person: written there, on the deal's first person as the read takes it.
      const deal = await this.client.getDeal(Number(externalId));
      if (!deal.ok) return deal;
      const personExt = [...(deal.value.peopleIds ?? []), ...(deal.value.people ?? []).map((p) => p.id)][0];
      if (personExt !== undefined) {
        const r = await this.client.updatePerson(Number(personExt), onPerson);
        if (!r.ok) return r;
      }
    }
    return this.updateDeal(externalId, { customFields: fubBody(this.config.fields, "deal", { ...values }) });
  }

  async updateDeal(
    externalId: string,
    patch: { stage?: DealStage; customFields?: Record<string, string | number> },
  ): Promise<Result<void>> {
    const body: Record<string, unknown> = { ...(patch.customFields ?? {}) };
    if (patch.stage) {
      const name = Object.entries(this.stageMap()).find(([, s]) => s === patch.stage)?.[0];
      if (!name) return permanent("stage_unmapped", `no Follow Up Boss stage maps to '${patch.stage}'`, { vendor: "followupboss" });
      // A deal's stage must come from its own pipeline (Buyers and Sellers both have "Closed").
      const [pipelines, deal] = await Promise.all([this.pipelineList(), this.client.getDeal(Number(externalId))]);
      if (!pipelines.ok) return pipelines;
      if (!deal.ok) return deal;
      const own = pipelines.value.find((p) => p.id === deal.value.pipelineId);
      const stage = (own ? own.stages : pipelines.value.flatMap((p) => p.stages)).find((s) => s.name === name);
      if (!stage) return permanent("stage_missing", `Follow Up Boss has no deal stage named '${name}'`, { vendor: "followupboss" });
      if (deal.value.stageId === stage.id)
        delete body.stageId; // already there: do not write (no echo)
      else body.stageId = stage.id;
    }
    if (Object.keys(body).length === 0) return ok(undefined);
    const r = await this.client.updateDeal(Number(externalId), body);
    return r.ok ? ok(undefined) : r;
  }
}
