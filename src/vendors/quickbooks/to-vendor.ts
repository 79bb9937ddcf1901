import type { Person } from "../../canonical";
import { sha256Hex } from "../../lib/bytes";
import type { BillBody, CustomerBody, SalesDocumentBody, VendorBody } from "./schemas";

/** Integer cents → dollars for an `Amount`; never a float sum, so no 0.30000000000000004. */
export function dollars(cents: number): number {
  if (!Number.isInteger(cents) || cents < 0) throw new RangeError(`amount must be non-negative integer cents, got ${cents}`);
  return cents / 100;
}

/**
 * A `requestid` derived from the canonical ids it writes for, so a retry after a crash sends the
 * same one and QuickBooks answers with the original instead of writing twice. ≤ 50 characters.
 */
export async function requestIdFor(...parts: string[]): Promise<string> {
  return `dw-${(await sha256Hex(parts.join("\u001f"))).slice(0, 44)}`;
}

/**
 * A document number derived from the same ids (≤ 21 characters): the hub's second, lasting key,
 * searchable with `findByDocNumber` long after QuickBooks has forgotten a requestid.
 */
export async function docNumberFor(...parts: string[]): Promise<string> {
  return `DW${(await sha256Hex(parts.join("\u001f"))).slice(0, 14).toUpperCase()}`;
}

/** A string literal inside a QuickBooks query: backslashes and apostrophes escaped with `\`. */
export function queryLiteral(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A DisplayName QuickBooks accepts: no ':' / tabs / newlines, trimmed, ≤ 500 characters. */
export function displayName(name: string): string {
  return name
    .replace(/[:\t\n\r]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 500);
}

/** A customer from a canonical person (or a bare name when the deal has no person). */
export function customerBody(input: { name: string; email?: string; person?: Person }): CustomerBody {
  const email = input.email ?? input.person?.emails[0]?.value;
  return {
    DisplayName: displayName(input.name),
    ...(input.person?.firstName ? { GivenName: input.person.firstName.slice(0, 100) } : {}),
    ...(input.person?.lastName ? { FamilyName: input.person.lastName.slice(0, 100) } : {}),
    ...(email ? { PrimaryEmailAddr: { Address: email } } : {}),
  };
}

/** An agent as the vendor (payee) of commission bills; agents are 1099 contractors. */
export function agentVendorBody(agentName: string): VendorBody {
  return { DisplayName: displayName(agentName), Vendor1099: true };
}

/**
 * The invoice (or sales receipt: same body) for a deal's gross commission: one service line of
 * quantity 1 on the brokerage's commission item.
 */
export function commissionDocument(input: {
  customerId: string;
  grossCents: number;
  itemRef: string;
  description: string;
  docNumber?: string;
  memo?: string;
  email?: string;
}): SalesDocumentBody {
  const amount = dollars(input.grossCents);
  return {
    CustomerRef: { value: input.customerId },
    Line: [
      {
        DetailType: "SalesItemLineDetail",
        Amount: amount,
        Description: input.description.slice(0, 4000),
        SalesItemLineDetail: { ItemRef: { value: input.itemRef }, Qty: 1, UnitPrice: amount },
      },
    ],
    ...(input.docNumber ? { DocNumber: input.docNumber } : {}),
    ...(input.memo ? { PrivateNote: input.memo.slice(0, 4000) } : {}),
    ...(input.email ? { BillEmail: { Address: input.email } } : {}),
  };
}

/** The bill paying one agent their split, booked to the commission expense account. */
export function agentBill(input: {
  vendorId: string;
  amountCents: number;
  expenseAccountRef: string;
  description: string;
  docNumber?: string;
  memo?: string;
}): BillBody {
  return {
    VendorRef: { value: input.vendorId },
    Line: [
      {
        DetailType: "AccountBasedExpenseLineDetail",
        Amount: dollars(input.amountCents),
        Description: input.description.slice(0, 4000),
        AccountBasedExpenseLineDetail: { AccountRef: { value: input.expenseAccountRef } },
      },
    ],
    ...(input.docNumber ? { DocNumber: input.docNumber } : {}),
    ...(input.memo ? { PrivateNote: input.memo.slice(0, 4000) } : {}),
  };
}
