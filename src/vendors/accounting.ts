import type { AgentPayout, CustomValue } from "../canonical";
import type { Failure, Result } from "../lib/result";

/**
 * What the hub needs of the accounting system. QuickBooks Online implements it. Every write is
 * idempotent by a request id derived from `reference` (the canonical deal id).
 */
export interface AccountingAdapter {
  readonly system: "quickbooks";
  recordCommission(
    input: BillsInput & {
      customerName: string;
      customerEmail?: string;
      /** The client's customer, once an earlier invoice or the backfill linked it. */
      customerId?: string;
      /** Whether a customer found by the client's name is linked to another client. */
      taken?: (customerId: string) => Promise<boolean>;
      grossCents: number;
      kind: "invoice" | "salesreceipt";
      itemRef: string;
      /** The brokerage's own fields of the deal, placed on the document where the configuration maps them. */
      custom?: Readonly<Record<string, CustomValue>>;
    },
  ): Promise<
    Result<{
      documentId: string;
      docNumber?: string;
      /** What the document bills, as the vendor answered it; an earlier try's document keeps its figure. */
      billedCents?: number;
      billIds: string[];
      customerId: string;
      /** Not every agent bill could be made: the document stands, and `recordBills` makes the rest. */
      billsFailed?: Failure;
    }>
  >;
  /** The agent bills of a deal whose document exists: each found by its number or made; how many were made. */
  recordBills(input: BillsInput): Promise<Result<{ billIds: string[]; made: number }>>;
}

/** What a deal's agent bills are made from (the deal's id as `reference`; its commission's description). */
export type BillsInput = { reference: string; description: string; payouts: AgentPayout[]; expenseAccountRef: string };
