import type { CustomValue, Deal, Person } from "../../canonical";
import type { BrokerageConfig } from "../../config/brokerage";
import { saleCustomFields, saleFields } from "./custom-fields";
import { log } from "../../lib/log";
import { ok, permanent, type Result } from "../../lib/result";
import { mapSkySlopeSale } from "../../mapping";
import type { Connection } from "../shared/transport";
import { mappedTransaction, readTransaction, type TakenElsewhere, type TmsAdapter, type TmsTransaction } from "../tms";
import { SkySlopeClient } from "./client";
import type { SkySlopeUser } from "./schemas";
import { dealToSale, personToContact, propertyOf } from "./to-vendor";
import { utcInstant } from "./time";
import { failureLabel } from "../../lib/failures";

/** SkySlope as the brokerage's transaction management system (one connection = one access key). */
export class SkySlopeTms implements TmsAdapter {
  readonly system = "skyslope" as const;
  readonly client: SkySlopeClient;

  constructor(
    private readonly conn: Connection,
    private readonly config?: Pick<BrokerageConfig, "fields" | "stages">,
  ) {
    this.client = new SkySlopeClient(conn);
  }

  /** The agent a sale is filed under: by email (the deal's agent, else the connection's). */
  private async agent(email: string | undefined): Promise<Result<SkySlopeUser>> {
    const wanted = (email ?? this.conn.config.agent?.email)?.toLowerCase();
    const users = await this.client.listUsers();
    if (!users.ok) return users;
    const user = wanted ? users.value.find((u) => u.email?.toLowerCase() === wanted) : undefined;
    if (!user)
      return permanent("skyslope_agent_unknown", `no SkySlope user with the agent's email${wanted ? "" : " (none given)"}`, {
        vendor: "skyslope",
      });
    return ok(user);
  }

  /** The configured checklist type, else the agent's office's first Sale checklist (a purchase one if any). */
  private async checklist(officeGuid: string | null | undefined): Promise<Result<number>> {
    const configured = Number(this.conn.config.credentials.checklistTypeId);
    if (Number.isInteger(configured) && configured > 0) return ok(configured);
    if (!officeGuid)
      return permanent("skyslope_checklist_unknown", "the agent has no office to take a checklist type from", { vendor: "skyslope" });
    const types = await this.client.listChecklistTypes(officeGuid, "Sale");
    if (!types.ok) return types;
    const chosen = types.value.find((t) => /purchase/i.test(t.name ?? "")) ?? types.value[0];
    return chosen
      ? ok(chosen.checklistTypeId)
      : permanent("skyslope_checklist_unknown", `office ${officeGuid} has no Sale checklist type`, { vendor: "skyslope" });
  }

  /**
   * The sale a previous attempt opened for this deal: same property, same agent, no other MLS
   * number, and not linked by the hub to another deal. Without the deal there is nothing to match.
   */
  async findTransaction(_reference: string, deal?: Deal, taken?: TakenElsewhere): Promise<Result<{ externalId: string } | null>> {
    const address = deal?.property?.address;
    if (!deal || !address) return ok(null);
    const agent = await this.agent(deal.agent?.email);
    if (!agent.ok) return agent;
    const property = propertyOf(address);
    const r = await this.client.findSales({
      property: {
        ...(property.streetNumber ? { streetNumber: property.streetNumber } : {}),
        ...(property.streetAddress ? { streetAddress: property.streetAddress } : {}),
        ...(property.zip ? { zip: property.zip } : {}),
      },
      agentGuid: agent.value.userGuid,
      ...(deal.property?.mlsId ? { mlsNumber: deal.property.mlsId } : {}),
    });
    if (!r.ok) return r;
    for (const saleGuid of r.value) if (!(await taken?.(saleGuid))) return ok({ externalId: saleGuid });
    return ok(null);
  }

  /**
   * Opens the sale, then adds its buyers and sellers. Contacts are secondary to idempotency:
   * their failure is logged, not allowed to fail the create.
   */
  async createTransaction(input: {
    reference: string;
    deal: Deal;
    agentEmail?: string;
  }): Promise<Result<{ externalId: string; url?: string }>> {
    const agent = await this.agent(input.agentEmail ?? input.deal.agent?.email);
    if (!agent.ok) return agent;
    const checklistTypeId = await this.checklist(agent.value.officeGuid);
    if (!checklistTypeId.ok) return checklistTypeId;
    const body = dealToSale(input.deal, {
      agentGuid: agent.value.userGuid,
      checklistTypeId: checklistTypeId.value,
      ...(agent.value.officeGuid ? { officeGuid: agent.value.officeGuid } : {}),
    });
    const own = saleCustomFields(this.config?.fields ?? {}, input.deal.custom ?? {});
    const created = await this.client.createSale(Object.keys(own).length > 0 ? { ...body, customFields: own } : body);
    if (!created.ok) return created;
    if (created.value.warnings.length > 0)
      log("warn", "skyslope_create_warnings", {
        connection: this.conn.config.id,
        saleGuid: created.value.saleGuid,
        warnings: created.value.warnings.length,
      });
    const incomplete: string[] = [];
    for (const p of input.deal.participants) {
      if (!p.person || (p.role !== "buyer" && p.role !== "seller")) continue;
      const r = await this.client.addContact(created.value.saleGuid, p.role, personToContact(p.person));
      if (!r.ok) {
        log("warn", "skyslope_contact_failed", {
          connection: this.conn.config.id,
          saleGuid: created.value.saleGuid,
          code: failureLabel(r.error),
        });
        incomplete.push(`${p.role} contact (${failureLabel(r.error)})`);
      }
    }
    return ok({
      externalId: created.value.saleGuid,
      ...(created.value.url ? { url: created.value.url } : {}),
      ...(incomplete.length ? { incomplete } : {}),
    });
  }

  async getTransaction(externalId: string): Promise<Result<TmsTransaction | null>> {
    const sale = await this.client.getSale(externalId);
    if (!sale.ok) return sale.error.status === 404 ? ok(null) : sale;
    const mapped = mappedTransaction(mapSkySlopeSale(sale.value, { deliveryId: `skyslope:${externalId}`, receivedAt: Date.now() }));
    if (typeof mapped === "string") return permanent("skyslope_unmappable", `sale ${externalId}: ${mapped}`, { vendor: "skyslope" });
    return ok(
      readTransaction(
        externalId,
        sale.value.status,
        this.config?.stages.skyslope,
        mapped,
        saleFields(this.config?.fields ?? {}, sale.value.customFields),
        sale.value.modifiedOn ? { updatedAt: utcInstant(sale.value.modifiedOn) } : {},
      ),
    );
  }

  /** The sale's `customFields` take the values (SkySlope's `PUT` merges that object). */
  async updateFields(externalId: string, values: Readonly<Record<string, CustomValue>>): Promise<Result<boolean>> {
    const own = saleCustomFields(this.config?.fields ?? {}, { ...values });
    if (Object.keys(own).length === 0) return ok(false);
    const r = await this.client.updateSale(externalId, { customFields: own });
    return r.ok ? ok(true) : r;
  }

  /**
   * SkySlope's API adds buyer and seller contacts but documents no way to change one, so a
   * contact change cannot be carried over: reported as "not updated".
   */
  async updateParticipant(
    _externalId: string,
    _match: { emails?: readonly string[]; name?: string },
    _person: Person,
  ): Promise<Result<boolean>> {
    return ok(false);
  }
}
