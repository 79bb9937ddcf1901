import type { CustomValue, Deal, Person } from "../../canonical";
import type { BrokerageConfig } from "../../config/brokerage";
import { loopFieldDetails, loopFields } from "./custom-fields";
import { log } from "../../lib/log";
import { ok, permanent, type Result } from "../../lib/result";
import { mapDotloopLoop } from "../../mapping";
import type { Connection } from "../shared/transport";
import { mappedTransaction, readTransaction, type TmsAdapter, type TmsTransaction } from "../tms";
import { DotloopClient } from "./client";
import { dealToLoopDetails, dealToLoopIt, participantFields, referenceTag } from "./to-vendor";
import { failureLabel } from "../../lib/failures";

/**
 * The profile each connection's loops live in, kept for the isolate's life (bounded): an adapter
 * is made per queue message, and asking Dotloop on every message spent a third of its 100 calls a
 * minute on GET /profile under load (the chaos soak), holding back the loop work itself.
 */
const PROFILE_TTL_MS = 10 * 60_000;
const profiles = new Map<string, { id: string; until: number }>();

/** Dotloop as the brokerage's transaction management system (one connection = one grant). */
export class DotloopTms implements TmsAdapter {
  readonly system = "dotloop" as const;
  readonly client: DotloopClient;
  private profile: string | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly config?: Pick<BrokerageConfig, "fields" | "stages">,
  ) {
    this.client = new DotloopClient(conn);
  }

  private get fields() {
    return this.config?.fields ?? {};
  }

  /**
   * The profile loops are created in: the configured `agent.profileId`, else the grant's default
   * individual profile (loops cannot live in office or brokerage profiles).
   */
  async profileId(): Promise<Result<string>> {
    if (this.profile) return ok(this.profile);
    const configured = this.conn.config.agent?.profileId;
    if (configured) return ok((this.profile = configured));
    const known = profiles.get(this.conn.config.id);
    if (known && known.until > Date.now()) return ok((this.profile = known.id));
    const r = await this.client.getProfiles();
    if (!r.ok) return r;
    const individual = r.value.filter((p) => p.type === "INDIVIDUAL");
    const chosen = individual.find((p) => p.default) ?? individual[0];
    if (!chosen)
      return permanent("dotloop_no_profile", `${this.conn.config.id}: the grant has no individual profile to hold loops`, {
        vendor: "dotloop",
      });
    if (profiles.size > 1_000) profiles.clear();
    profiles.set(this.conn.config.id, { id: chosen.id, until: Date.now() + PROFILE_TTL_MS });
    return ok((this.profile = chosen.id));
  }

  async findTransaction(reference: string): Promise<Result<{ externalId: string } | null>> {
    const pid = await this.profileId();
    if (!pid.ok) return pid;
    const r = await this.client.findLoopByReference(pid.value, reference);
    return r.ok ? ok(r.value ? { externalId: r.value.id } : null) : r;
  }

  /**
   * Creates the loop (Loop-It: loop, address, participants) named with the reference tag, then
   * writes its details. The loop is what matters for idempotency; details are merged by a PATCH
   * that a later sync can repeat, so their failure is logged rather than failing the create.
   */
  async createTransaction(input: {
    reference: string;
    deal: Deal;
    agentEmail?: string;
  }): Promise<Result<{ externalId: string; url?: string }>> {
    const pid = await this.profileId();
    if (!pid.ok) return pid;
    const deal =
      input.agentEmail && !input.deal.agent?.email
        ? { ...input.deal, agent: { ...input.deal.agent, email: input.agentEmail } }
        : input.deal;
    const created = await this.client.loopIt(
      pid.value,
      dealToLoopIt(deal, {
        tag: await referenceTag(input.reference),
        ...(this.config?.stages.dotloop ? { statuses: this.config.stages.dotloop } : {}),
      }),
    );
    if (!created.ok) return created;
    const loop = created.value;
    const details = dealToLoopDetails(deal);
    for (const [section, labels] of Object.entries(loopFieldDetails(this.fields, deal.custom ?? {})))
      details[section] = { ...details[section], ...labels };
    const incomplete: string[] = [];
    if (Object.keys(details).length > 0) {
      const d = await this.client.updateLoopDetails(pid.value, loop.id, details);
      if (!d.ok) {
        log("warn", "dotloop_details_failed", { connection: this.conn.config.id, loopId: loop.id, code: failureLabel(d.error) });
        incomplete.push(`loop details (${failureLabel(d.error)})`);
      }
    }
    return ok({ externalId: loop.id, ...(loop.loopUrl ? { url: loop.loopUrl } : {}), ...(incomplete.length ? { incomplete } : {}) });
  }

  async getTransaction(externalId: string): Promise<Result<TmsTransaction | null>> {
    const pid = await this.profileId();
    if (!pid.ok) return pid;
    const loop = await this.client.getLoop(pid.value, externalId);
    if (!loop.ok) return loop.error.status === 404 ? ok(null) : loop;
    const [details, participants] = await Promise.all([
      this.client.getLoopDetails(pid.value, externalId),
      this.client.listParticipants(pid.value, externalId),
    ]);
    if (!details.ok) return details;
    if (!participants.ok) return participants;
    const mapped = mappedTransaction(
      mapDotloopLoop(loop.value, details.value, participants.value, { deliveryId: `dotloop:${externalId}`, receivedAt: Date.now() }),
    );
    if (typeof mapped === "string") return permanent("dotloop_unmappable", `loop ${externalId}: ${mapped}`, { vendor: "dotloop" });
    return ok(
      readTransaction(
        externalId,
        loop.value.status,
        this.config?.stages.dotloop,
        mapped,
        loopFields(this.fields, details.value as Record<string, Record<string, unknown>>),
        {
          ...(loop.value.loopUrl ? { url: loop.value.loopUrl } : {}),
          ...(loop.value.updated ? { updatedAt: loop.value.updated } : {}),
        },
      ),
    );
  }

  async updateFields(externalId: string, values: Readonly<Record<string, CustomValue>>): Promise<Result<boolean>> {
    const patch = loopFieldDetails(this.fields, { ...values });
    if (Object.keys(patch).length === 0) return ok(false);
    const pid = await this.profileId();
    if (!pid.ok) return pid;
    const r = await this.client.updateLoopDetails(pid.value, externalId, patch);
    return r.ok ? ok(true) : r;
  }

  async updateParticipant(
    externalId: string,
    match: { emails?: readonly string[]; name?: string },
    person: Person,
  ): Promise<Result<boolean>> {
    const pid = await this.profileId();
    if (!pid.ok) return pid;
    const list = await this.client.listParticipants(pid.value, externalId);
    if (!list.ok) return list;
    const emails = (match.emails ?? []).map((e) => e.toLowerCase());
    const name = match.name?.toLowerCase();
    const target = list.value.find(
      (p) => (p.email && emails.includes(p.email.toLowerCase())) || (name && p.fullName?.toLowerCase() === name),
    );
    if (!target) return ok(false);
    const fields = participantFields(person);
    if (!fields) return ok(false);
    const r = await this.client.updateParticipant(pid.value, externalId, target.id, fields);
    return r.ok ? ok(true) : r;
  }
}
