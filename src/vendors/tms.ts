import type { Deal, DealStage, Person } from "../canonical";
import type { Result } from "../lib/result";

/** A transaction as the TMS holds it, mapped to canonical. */
export interface TmsTransaction {
  externalId: string;
  vendorStatus: string | null;
  stage: DealStage | null;
  deal: Deal;
  url?: string;
  updatedAt?: string;
}

/**
 * What the hub needs of a transaction management system. Dotloop and SkySlope implement it;
 * `reference` is the hub's canonical deal id, stored in the TMS so a retry can find what an
 * interrupted attempt created (search before create).
 */
export interface TmsAdapter {
  readonly system: "dotloop" | "skyslope";
  findTransaction(reference: string): Promise<Result<{ externalId: string } | null>>;
  createTransaction(input: { reference: string; deal: Deal; agentEmail?: string }): Promise<Result<{ externalId: string; url?: string }>>;
  getTransaction(externalId: string): Promise<Result<TmsTransaction | null>>;
  /** Updates the contact details of the transaction's participant who is `person`. */
  updateParticipant(externalId: string, match: { email?: string; name?: string }, person: Person): Promise<Result<boolean>>;
}
