import type { CustomValue, Deal, DealStage, LeadData, Person } from "../canonical";
import type { Result } from "../lib/result";

/**
 * What the hub needs of a CRM. Follow Up Boss and LionDesk implement it; flows and consumers speak
 * only this, so a brokerage can switch CRMs by configuration.
 */
export interface CrmAdapter {
  readonly system: "followupboss" | "liondesk";
  /** Searches the CRM by natural key (email, then phone) before anything is created. */
  findPerson(keys: { emails: string[]; phones: string[] }): Promise<Result<{ externalId: string } | null>>;
  /**
   * Delivers a lead the way the CRM wants leads. With `knownExternalId` the lead is recorded as
   * activity on that person, never as a second contact. `ignored` when the CRM drops the source.
   */
  sendLead(
    lead: LeadData,
    opts: { sourceName: string; knownExternalId?: string; assignTo?: string },
  ): Promise<Result<{ externalId: string | null; created: boolean; ignored: boolean }>>;
  getPerson(externalId: string): Promise<Result<CrmPerson | null>>;
  updatePerson(
    externalId: string,
    patch: { emails?: string[]; phones?: string[]; firstName?: string; lastName?: string },
  ): Promise<Result<void>>;
  addNote(personExternalId: string, subject: string, body: string): Promise<Result<void>>;
  /** A deal as the CRM holds it, with its stage both as the CRM names it and mapped. */
  getDeal(externalId: string): Promise<Result<CrmDeal | null>>;
  /** Moves a deal to the CRM stage that maps to `stage`; writes custom fields by name. */
  updateDeal(externalId: string, patch: { stage?: DealStage; customFields?: Record<string, string | number> }): Promise<Result<void>>;
  /** Writes the brokerage's own fields (canonical values, by declared name) to the deal's custom fields. */
  updateDealFields(externalId: string, values: Readonly<Record<string, CustomValue>>): Promise<Result<void>>;
}

/** A person as the CRM holds it, with the CRM's own time of the record's last change if it gives one. */
export interface CrmPerson {
  person: Person;
  updatedAt?: string;
}

export interface CrmDeal {
  externalId: string;
  name: string;
  vendorStage: string | null;
  stage: DealStage | null;
  personExternalIds: string[];
  agentName?: string;
  customFields: Record<string, unknown>;
  deal: Deal;
  updatedAt?: string;
  /** The brokerage's fields whose values did not fit their declared type, left out of `deal`. */
  invalidFields?: string[];
  /**
   * The brokerage's fields in `deal.custom` read from the deal's person, with the person's own
   * change time: an edit of the person does not move the deal's, so they merge by the person's.
   */
  personFields?: { names: string[]; updatedAt?: string };
}
