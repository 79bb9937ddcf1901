import type { AgentPayout } from "../../canonical";
import type { BrokerageConfig } from "../../config/brokerage";
import { ok, permanent, type Result } from "../../lib/result";
import { documentFields } from "./custom-fields";
import type { QboPreferences, SalesDocumentBody } from "./schemas";
import type { AccountingAdapter, BillsInput } from "../accounting";
import type { Connection } from "../shared/transport";
import { QuickBooksClient, type DocumentEntity } from "./client";
import { nameHeld } from "./dialect";
import type { QboTransaction, QboVendor } from "./schemas";
import { agentBill, agentVendorBody, commissionDocument, customerBody, displayName, docNumberFor, requestIdFor } from "./to-vendor";

type Input = Parameters<AccountingAdapter["recordCommission"]>[0];

/**
 * QuickBooks Online as the brokerage's books. Every write is sent with a requestid derived from
 * the deal's ids — the key that always holds — so a repeat (a redelivered event, a retry after a
 * crash) changes the books once. Names are found first by DisplayName. An invoice or sales
 * receipt is also found by a DocNumber derived from the deal, but only in a company with custom
 * transaction numbers on: otherwise Intuit numbers them itself and warns that a supplied number
 * makes duplicates of its sequence, so none is sent.
 */
export class QuickBooksAccounting implements AccountingAdapter {
  readonly system = "quickbooks" as const;
  readonly client: QuickBooksClient;

  constructor(
    conn: Connection,
    private readonly config?: Pick<BrokerageConfig, "fields">,
  ) {
    this.client = new QuickBooksClient(conn);
  }

  /**
   * The brokerage's fields on the sales form: custom fields by their definition ids, the memo, the
   * class, the description. A mapped custom field the company has not defined halts the document
   * with its name (QuickBooks would refuse it, or worse drop the value silently).
   */
  extras(input: Input, prefs: QboPreferences): Result<{ body: Partial<SalesDocumentBody>; memo?: string; description?: string }> {
    const placed = documentFields(this.config?.fields ?? {}, { ...(input.custom ?? {}) });
    const customField: NonNullable<SalesDocumentBody["CustomField"]> = [];
    for (const f of placed.customFields) {
      const def = prefs.salesCustomFields.find((d) => d.name.toLowerCase() === f.name.toLowerCase());
      if (!def)
        return permanent(
          "quickbooks_field_missing",
          `QuickBooks has no sales-form custom field named "${f.name}" (define it under Account and settings → Sales, or change the mapping)`,
          { vendor: "quickbooks" },
        );
      customField.push({ DefinitionId: def.definitionId, Name: def.name, Type: "StringType", StringValue: f.value });
    }
    return ok({
      body: {
        ...(customField.length ? { CustomField: customField } : {}),
        ...(placed.classId ? { ClassRef: { value: placed.classId } } : {}),
      },
      ...(placed.memo ? { memo: placed.memo } : {}),
      ...(placed.description ? { description: placed.description } : {}),
    });
  }

  /**
   * The first of `names` that is this party's: found and not held for another, or created. Display
   * names are unique across customers, vendors and employees, so a create can be refused (6240) for
   * a name held by a party of another kind (an agent who buys a home is already a vendor) or made
   * by a concurrent close; the name is then looked up again and, if still not this party's, passed
   * over for the next. The last name is used as found.
   */
  private async named<T extends { Id: string }>(
    names: string[],
    find: (name: string) => Promise<Result<T | null>>,
    create: (name: string) => Promise<Result<T>>,
    taken: (id: string) => Promise<boolean | undefined> = async () => false,
  ): Promise<Result<T>> {
    let refused: Result<T> | undefined;
    for (const [i, name] of names.entries()) {
      const last = i === names.length - 1;
      let found = await find(name);
      if (found.ok && !found.value) {
        const created = await create(name);
        if (created.ok || !nameHeld(created.error)) return created;
        refused = created;
        found = await find(name);
      }
      if (!found.ok) return found;
      if (found.value && (last || !(await taken(found.value.Id)))) return ok(found.value);
    }
    return refused ?? permanent("vendor_unexpected_response", "QuickBooks holds every name for this party", { vendor: "quickbooks" });
  }

  /** The client's customer: linked, else by name, told apart by email from another client's. */
  private customer(input: Input): Promise<Result<{ Id: string }>> {
    if (input.customerId) return Promise.resolve(ok({ Id: input.customerId }));
    return this.named(
      [input.customerName, `${input.customerName} (${input.customerEmail ?? input.reference})`].map(displayName),
      (name) => this.client.findCustomerByDisplayName(name),
      async (name) =>
        this.client.createCustomer(
          customerBody({ name, ...(input.customerEmail ? { email: input.customerEmail } : {}) }),
          await requestIdFor(input.reference, "customer", name),
        ),
      input.taken,
    );
  }

  /** The agent's vendor, named apart when the agent's name is a customer's or an employee's. */
  private payee(reference: string, agentName: string): Promise<Result<QboVendor>> {
    return this.named(
      [agentName, `${agentName} (agent)`].map(displayName),
      (name) => this.client.findVendorByDisplayName(name),
      async (name) => this.client.createVendor(agentVendorBody(name), await requestIdFor(reference, "vendor", name)),
    );
  }

  /** Finds the document by its DocNumber, or creates it under a requestid from the same ids. */
  private async document(
    entity: DocumentEntity,
    docNumber: string,
    create: (requestId: string) => Promise<Result<QboTransaction>>,
    ...ids: string[]
  ): Promise<Result<QboTransaction & { made?: true }>> {
    const found = await this.client.findByDocNumber(entity, docNumber);
    if (!found.ok) return found;
    if (found.value) return ok(found.value);
    const made = await create(await requestIdFor(...ids));
    return made.ok ? ok({ ...made.value, made: true }) : made;
  }

  private async bill(input: BillsInput, payout: AgentPayout): Promise<Result<QboTransaction & { made?: true }>> {
    const payee = await this.payee(input.reference, payout.agentName);
    if (!payee.ok) return payee;
    const docNumber = await docNumberFor(input.reference, "bill", payout.agentName);
    const body = agentBill({
      vendorId: payee.value.Id,
      amountCents: payout.amountCents,
      expenseAccountRef: input.expenseAccountRef,
      description: `${input.description} - ${payout.agentName}`,
      docNumber,
      memo: `dealwire ${input.reference}`,
    });
    return this.document("Bill", docNumber, (rid) => this.client.createBill(body, rid), input.reference, "bill", payout.agentName);
  }

  async recordCommission(
    input: Input,
  ): Promise<Result<{ documentId: string; docNumber?: string; billedCents?: number; billIds: string[]; customerId: string }>> {
    const prefs = await this.client.preferences();
    if (!prefs.ok) return prefs;
    const customer = await this.customer(input);
    if (!customer.ok) return customer;
    const entity: DocumentEntity = input.kind === "invoice" ? "Invoice" : "SalesReceipt";
    const docNumber = prefs.value.customTxnNumbers ? await docNumberFor(input.reference, input.kind) : undefined;
    const extras = this.extras(input, prefs.value);
    if (!extras.ok) return extras;
    const body: SalesDocumentBody = {
      ...commissionDocument({
        customerId: customer.value.Id,
        grossCents: input.grossCents,
        itemRef: input.itemRef,
        description: extras.value.description ? `${input.description} (${extras.value.description})` : input.description,
        ...(docNumber ? { docNumber } : {}),
        memo: extras.value.memo ? `dealwire ${input.reference}; ${extras.value.memo}` : `dealwire ${input.reference}`,
        ...(input.customerEmail ? { email: input.customerEmail } : {}),
      }),
      ...extras.value.body,
    };
    const create = (rid: string) =>
      entity === "Invoice" ? this.client.createInvoice(body, rid) : this.client.createSalesReceipt(body, rid);
    const doc = docNumber
      ? await this.document(entity, docNumber, create, input.reference, input.kind)
      : await create(await requestIdFor(input.reference, input.kind));
    if (!doc.ok) return doc;
    const bills = await this.recordBills(input);
    const billedCents = itemCents(doc.value);
    return ok({
      documentId: doc.value.Id,
      ...(doc.value.DocNumber ? { docNumber: doc.value.DocNumber } : {}),
      ...(billedCents === undefined ? {} : { billedCents }),
      billIds: bills.ok ? bills.value.billIds : [],
      customerId: customer.value.Id,
      ...(bills.ok ? {} : { billsFailed: bills.error }),
    });
  }

  async recordBills(input: BillsInput): Promise<Result<{ billIds: string[]; made: number }>> {
    const billIds: string[] = [];
    let made = 0;
    for (const payout of input.payouts.filter((p) => p.amountCents > 0)) {
      const bill = await this.bill(input, payout);
      if (!bill.ok) return bill;
      billIds.push(bill.value.Id);
      if (bill.value.made) made++;
    }
    return ok({ billIds, made });
  }
}

/**
 * What a sales document bills before tax: its item line (the hub writes one) in cents. A document found by its number,
 * or answered to a create from an earlier try's requestid, holds that try's figure, not this one's.
 */
function itemCents(doc: QboTransaction): number | undefined {
  const amount = doc.Line?.find((l) => l.DetailType === "SalesItemLineDetail")?.Amount;
  return amount === undefined ? undefined : Math.round(amount * 100);
}
