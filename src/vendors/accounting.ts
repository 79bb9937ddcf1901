import type { Result } from "../lib/result";

/** One agent's share of a closed deal's commission, paid out as a bill. */
export interface AgentPayout {
  agentName: string;
  amountCents: number;
}

/**
 * What the hub needs of the accounting system. QuickBooks Online implements it. Every write is
 * idempotent by a request id derived from `reference` (the canonical deal id).
 */
export interface AccountingAdapter {
  readonly system: "quickbooks";
  recordCommission(input: {
    reference: string;
    customerName: string;
    customerEmail?: string;
    description: string;
    grossCents: number;
    kind: "invoice" | "salesreceipt";
    itemRef: string;
    payouts: AgentPayout[];
    expenseAccountRef: string;
  }): Promise<Result<{ documentId: string; docNumber?: string; billIds: string[] }>>;
}
