import type { CustomValue, Deal, DealStage, Person } from "../canonical";
import type { Result } from "../lib/result";
import type { MapOutcome } from "../mapping";
import type { CustomValues, FieldIssue } from "../mapping/custom-fields";

/** A transaction as the TMS holds it, mapped to canonical. */
export interface TmsTransaction {
  externalId: string;
  vendorStatus: string | null;
  stage: DealStage | null;
  deal: Deal;
  url?: string;
  updatedAt?: string;
  /** The brokerage's fields whose values did not fit their declared type, left out of `deal`. */
  invalidFields?: string[];
}

/** True when the hub has linked this transaction to a deal other than the one being created. */
export type TakenElsewhere = (externalId: string) => Promise<boolean>;

/**
 * What the hub needs of a transaction management system. Dotloop and SkySlope implement it;
 * `reference` is the hub's canonical deal id. Before creating, the hub searches the TMS for what
 * an interrupted attempt may have created: Dotloop by the reference it keeps in the loop's name,
 * SkySlope (which keeps no key of ours) by what it keeps of the deal, minus files `taken` by other
 * deals.
 */
export interface TmsAdapter {
  readonly system: "dotloop" | "skyslope";
  findTransaction(reference: string, deal?: Deal, taken?: TakenElsewhere): Promise<Result<{ externalId: string } | null>>;
  /**
   * Creates the transaction, then what the TMS takes in calls of its own (Dotloop's loop details,
   * SkySlope's buyer and seller contacts). Once the transaction exists it is returned even when
   * one of those failed: `incomplete` names each part missing, for the hub to raise.
   */
  createTransaction(input: {
    reference: string;
    deal: Deal;
    agentEmail?: string;
  }): Promise<Result<{ externalId: string; url?: string; incomplete?: string[] }>>;
  getTransaction(externalId: string): Promise<Result<TmsTransaction | null>>;
  /**
   * Updates the contact details of the transaction's participant who is `person`, found by any of
   * `emails` or by `name`; false when no participant is.
   */
  updateParticipant(externalId: string, match: { emails?: readonly string[]; name?: string }, person: Person): Promise<Result<boolean>>;
  /** Writes the brokerage's own fields to the transaction; false when the TMS takes no later writes of them. */
  updateFields(externalId: string, values: Readonly<Record<string, CustomValue>>): Promise<Result<boolean>>;
}

/** The transaction a mapped TMS record carries, or why it carries none. */
export function mappedTransaction(mapped: MapOutcome): Deal | string {
  const event = mapped.ok ? mapped.events.find((e) => e.type === "transaction.upserted") : undefined;
  return event?.type === "transaction.upserted" ? event.data.transaction : mapped.ok ? "no transaction" : mapped.reason;
}

/**
 * A TMS record as the hub reads it: the mapped deal under the brokerage's own name for the
 * vendor's status (`stages`; the published statuses are the fallback) and with its own fields, a
 * value that does not fit its field's declared type left out and named.
 */
export function readTransaction(
  externalId: string,
  vendorStatus: string | null | undefined,
  stages: Readonly<Record<string, DealStage>> | undefined,
  mapped: Deal,
  own: { values: CustomValues; issues: FieldIssue[] },
  extra: { url?: string; updatedAt?: string },
): TmsTransaction {
  const named = vendorStatus ? stages?.[vendorStatus] : undefined;
  const deal = {
    ...mapped,
    ...(named ? { stage: named } : {}),
    ...(Object.keys(own.values).length > 0 ? { custom: own.values } : {}),
  };
  return {
    externalId,
    vendorStatus: vendorStatus ?? null,
    stage: deal.stage ?? null,
    deal,
    ...extra,
    ...(own.issues.length > 0 ? { invalidFields: own.issues.map((i) => i.field) } : {}),
  };
}
