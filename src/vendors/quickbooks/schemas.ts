import * as z from "../../lib/zod";

/** A reference to another entity: `{ value: "58", name?: "Ana Ruiz" }`. */
export const QboRef = z.object({ value: z.string().check(z.minLength(1)), name: z.optional(z.string()) });

const Entity = {
  Id: z.string(),
  SyncToken: z.optional(z.string()),
  MetaData: z.optional(z.looseObject({ CreateTime: z.optional(z.string()), LastUpdatedTime: z.optional(z.string()) })),
};

/** Any entity as change data capture lists it: its id and when it last changed (a deleted one has little else). */
export const QboEntity = z.looseObject(Entity);

export const QboCustomer = z.looseObject({
  ...Entity,
  DisplayName: z.string(),
  PrimaryEmailAddr: z.optional(z.looseObject({ Address: z.optional(z.string()) })),
});
export type QboCustomer = z.infer<typeof QboCustomer>;

export const QboVendor = z.looseObject({ ...Entity, DisplayName: z.string(), Vendor1099: z.optional(z.boolean()) });
export type QboVendor = z.infer<typeof QboVendor>;

/** Invoice, SalesReceipt and Bill share what the hub reads back. */
export const QboTransaction = z.looseObject({
  ...Entity,
  DocNumber: z.optional(z.string()),
  TotalAmt: z.optional(z.number()),
  Balance: z.optional(z.number()),
  Line: z.optional(z.array(z.looseObject({ DetailType: z.optional(z.string()), Amount: z.optional(z.number()) }))),
  PrivateNote: z.optional(z.string()),
  CustomerRef: z.optional(QboRef),
  VendorRef: z.optional(QboRef),
});
export type QboTransaction = z.infer<typeof QboTransaction>;

/** Amounts go to QuickBooks in dollars; from integer cents they never carry more than 2 decimals. */
const Dollars = z.number().check(
  z.nonnegative(),
  z.refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, "at most 2 decimals"),
);

export const SalesItemLine = z.object({
  DetailType: z.literal("SalesItemLineDetail"),
  Amount: Dollars,
  Description: z.optional(z.string().check(z.maxLength(4000))),
  SalesItemLineDetail: z.object({ ItemRef: QboRef, Qty: z.number().check(z.positive()), UnitPrice: Dollars }),
});

/** The body of an Invoice or a SalesReceipt (the same line structure). */
export const SalesDocumentBody = z.object({
  CustomerRef: QboRef,
  Line: z.array(SalesItemLine).check(z.minLength(1)),
  DocNumber: z.optional(z.string().check(z.minLength(1), z.maxLength(21))),
  PrivateNote: z.optional(z.string().check(z.maxLength(4000))),
  TxnDate: z.optional(z.iso.date()),
  BillEmail: z.optional(z.object({ Address: z.string() })),
  CustomField: z.optional(
    z.array(
      z.object({
        DefinitionId: z.string(),
        Name: z.optional(z.string()),
        Type: z.literal("StringType"),
        StringValue: z.string().check(z.maxLength(100)),
      }),
    ),
  ),
  ClassRef: z.optional(QboRef),
});
export type SalesDocumentBody = z.infer<typeof SalesDocumentBody>;

export const ExpenseLine = z.object({
  DetailType: z.literal("AccountBasedExpenseLineDetail"),
  Amount: Dollars,
  Description: z.optional(z.string().check(z.maxLength(4000))),
  AccountBasedExpenseLineDetail: z.object({ AccountRef: QboRef }),
});

export const BillBody = z.object({
  VendorRef: QboRef,
  Line: z.array(ExpenseLine).check(z.minLength(1)),
  DocNumber: z.optional(z.string().check(z.minLength(1), z.maxLength(21))),
  PrivateNote: z.optional(z.string().check(z.maxLength(4000))),
  TxnDate: z.optional(z.iso.date()),
});
export type BillBody = z.infer<typeof BillBody>;

/** DisplayName is unique across customers, vendors and employees, and may not contain ':'. */
const DisplayName = z
  .string()
  .check(z.minLength(1), z.maxLength(500), z.regex(/^[^:\t\n]+$/, "DisplayName may not contain ':', tabs or newlines"));

export const CustomerBody = z.object({
  DisplayName,
  GivenName: z.optional(z.string().check(z.maxLength(100))),
  FamilyName: z.optional(z.string().check(z.maxLength(100))),
  PrimaryEmailAddr: z.optional(z.object({ Address: z.string() })),
});
export type CustomerBody = z.infer<typeof CustomerBody>;

export const VendorBody = z.object({ DisplayName, Vendor1099: z.optional(z.boolean()) });
export type VendorBody = z.infer<typeof VendorBody>;

/** `{"QueryResponse": {"Customer": [...], "startPosition": 1, ...}, "time": ".."}`. */
export const QueryAnswer = z.looseObject({ QueryResponse: z._default(z.record(z.string(), z.unknown()), {}) });

/**
 * `GET /preferences`: only what the hub reads. `SalesFormsPrefs.CustomTxnNumbers` decides whether a
 * supplied DocNumber is the company's custom number or a stray duplicate of its sequence.
 */
const PrefValue = z.looseObject({ Name: z.string(), StringValue: z.optional(z.string()), BooleanValue: z.optional(z.boolean()) });

/**
 * Sales-form custom field definitions, as Intuit's custom-fields guide shows them in
 * `SalesFormsPrefs.CustomField`: `SalesCustomNameN` names definition N, `UseSalesCustomN` enables it.
 */
function salesCustomFields(
  groups: ReadonlyArray<{ CustomField?: ReadonlyArray<z.infer<typeof PrefValue>> | undefined }>,
): Array<{ definitionId: string; name: string }> {
  const values = groups.flatMap((g) => g.CustomField ?? []);
  const enabled = (n: string) => values.find((v) => v.Name === `SalesFormsPrefs.UseSalesCustom${n}`)?.BooleanValue !== false;
  return values.flatMap((v) => {
    const m = /^SalesFormsPrefs\.SalesCustomName(\d)$/.exec(v.Name);
    return m?.[1] && v.StringValue && enabled(m[1]) ? [{ definitionId: m[1], name: v.StringValue }] : [];
  });
}

export const QboPreferences = z.pipe(
  z.looseObject({
    Preferences: z.looseObject({
      SalesFormsPrefs: z.optional(
        z.looseObject({
          CustomTxnNumbers: z.optional(z.boolean()),
          CustomField: z.optional(z.array(z.looseObject({ CustomField: z.optional(z.array(PrefValue)) }))),
        }),
      ),
    }),
  }),
  z.transform((o) => ({
    customTxnNumbers: o.Preferences.SalesFormsPrefs?.CustomTxnNumbers ?? false,
    salesCustomFields: salesCustomFields(o.Preferences.SalesFormsPrefs?.CustomField ?? []),
  })),
);
export type QboPreferences = z.infer<typeof QboPreferences>;
