import * as z from "zod";

/** A reference to another entity: `{ value: "58", name?: "Ana Ruiz" }`. */
export const QboRef = z.object({ value: z.string().min(1), name: z.string().optional() });

const Entity = {
  Id: z.string(),
  SyncToken: z.string().optional(),
  MetaData: z.looseObject({ CreateTime: z.string().optional(), LastUpdatedTime: z.string().optional() }).optional(),
};

export const QboCustomer = z.looseObject({
  ...Entity,
  DisplayName: z.string(),
  PrimaryEmailAddr: z.looseObject({ Address: z.string().optional() }).optional(),
});
export type QboCustomer = z.infer<typeof QboCustomer>;

export const QboVendor = z.looseObject({ ...Entity, DisplayName: z.string(), Vendor1099: z.boolean().optional() });
export type QboVendor = z.infer<typeof QboVendor>;

/** Invoice, SalesReceipt and Bill share what the hub reads back. */
export const QboTransaction = z.looseObject({
  ...Entity,
  DocNumber: z.string().optional(),
  TotalAmt: z.number().optional(),
  Balance: z.number().optional(),
  PrivateNote: z.string().optional(),
  CustomerRef: QboRef.optional(),
  VendorRef: QboRef.optional(),
});
export type QboTransaction = z.infer<typeof QboTransaction>;

/** Amounts go to QuickBooks in dollars; from integer cents they never carry more than 2 decimals. */
const Dollars = z.number().nonnegative().refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, "at most 2 decimals");

export const SalesItemLine = z.object({
  DetailType: z.literal("SalesItemLineDetail"),
  Amount: Dollars,
  Description: z.string().max(4000).optional(),
  SalesItemLineDetail: z.object({ ItemRef: QboRef, Qty: z.number().positive(), UnitPrice: Dollars }),
});

/** The body of an Invoice or a SalesReceipt (the same line structure). */
export const SalesDocumentBody = z.object({
  CustomerRef: QboRef,
  Line: z.array(SalesItemLine).min(1),
  DocNumber: z.string().min(1).max(21).optional(),
  PrivateNote: z.string().max(4000).optional(),
  TxnDate: z.iso.date().optional(),
  BillEmail: z.object({ Address: z.string() }).optional(),
  CustomField: z.array(z.object({ DefinitionId: z.string(), Name: z.string().optional(), Type: z.literal("StringType"), StringValue: z.string().max(100) })).optional(),
  ClassRef: QboRef.optional(),
});
export type SalesDocumentBody = z.infer<typeof SalesDocumentBody>;

export const ExpenseLine = z.object({
  DetailType: z.literal("AccountBasedExpenseLineDetail"),
  Amount: Dollars,
  Description: z.string().max(4000).optional(),
  AccountBasedExpenseLineDetail: z.object({ AccountRef: QboRef }),
});

export const BillBody = z.object({
  VendorRef: QboRef,
  Line: z.array(ExpenseLine).min(1),
  DocNumber: z.string().min(1).max(21).optional(),
  PrivateNote: z.string().max(4000).optional(),
  TxnDate: z.iso.date().optional(),
});
export type BillBody = z.infer<typeof BillBody>;

/** DisplayName is unique across customers, vendors and employees, and may not contain ':'. */
const DisplayName = z.string().min(1).max(500).regex(/^[^:\t\n]+$/, "DisplayName may not contain ':', tabs or newlines");

export const CustomerBody = z.object({
  DisplayName,
  GivenName: z.string().max(100).optional(),
  FamilyName: z.string().max(100).optional(),
  PrimaryEmailAddr: z.object({ Address: z.string() }).optional(),
});
export type CustomerBody = z.infer<typeof CustomerBody>;

export const VendorBody = z.object({ DisplayName, Vendor1099: z.boolean().optional() });
export type VendorBody = z.infer<typeof VendorBody>;

/** `{"QueryResponse": {"Customer": [...], "startPosition": 1, ...}, "time": ".."}`. */
export const QueryAnswer = z.looseObject({ QueryResponse: z.record(z.string(), z.unknown()).default({}) });

/**
 * `GET /preferences`: only what the hub reads. `SalesFormsPrefs.CustomTxnNumbers` decides whether a
 * supplied DocNumber is the company's custom number or a stray duplicate of its sequence.
 */
const PrefValue = z.looseObject({ Name: z.string(), StringValue: z.string().optional(), BooleanValue: z.boolean().optional() });

/**
 * Sales-form custom field definitions, as Intuit's custom-fields guide shows them in
 * `SalesFormsPrefs.CustomField`: `SalesCustomNameN` names definition N, `UseSalesCustomN` enables it.
 */
function salesCustomFields(groups: ReadonlyArray<{ CustomField?: ReadonlyArray<z.infer<typeof PrefValue>> | undefined }>): Array<{ definitionId: string; name: string }> {
  const values = groups.flatMap((g) => g.CustomField ?? []);
  const enabled = (n: string) => values.find((v) => v.Name === `SalesFormsPrefs.UseSalesCustom${n}`)?.BooleanValue !== false;
  return values.flatMap((v) => {
    const m = /^SalesFormsPrefs\.SalesCustomName(\d)$/.exec(v.Name);
    return m?.[1] && v.StringValue && enabled(m[1]) ? [{ definitionId: m[1], name: v.StringValue }] : [];
  });
}

export const QboPreferences = z
  .looseObject({
    Preferences: z.looseObject({
      SalesFormsPrefs: z.looseObject({ CustomTxnNumbers: z.boolean().optional(), CustomField: z.array(z.looseObject({ CustomField: z.array(PrefValue).optional() })).optional() }).optional(),
    }),
  })
  .transform((o) => ({ customTxnNumbers: o.Preferences.SalesFormsPrefs?.CustomTxnNumbers ?? false, salesCustomFields: salesCustomFields(o.Preferences.SalesFormsPrefs?.CustomField ?? []) }));
export type QboPreferences = z.infer<typeof QboPreferences>;
