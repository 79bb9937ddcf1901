import { describe, expect, it } from "vitest";
import { DOTLOOP_DETAIL_FIELDS } from "../../src/config/dotloop-detail-fields";
import { SalesDocumentBody } from "../../src/vendors/quickbooks/schemas";
import published from "./dotloop/loop-detail-fields.json";
import intuitInvoice from "./quickbooks/invoice-custom-field.request.json";

describe("where the brokerage's own fields may live, as the vendors' published material says", () => {
  it("the Dotloop labels a field may name are exactly the client library's loop-detail fields", () => {
    expect(DOTLOOP_DETAIL_FIELDS).toEqual(published);
  });

  it("Intuit's invoice with a custom field has the CustomField element the hub sends (DefinitionId, StringValue)", () => {
    const element = intuitInvoice.CustomField[0];
    expect(Object.keys(element ?? {}).sort()).toEqual(["DefinitionId", "StringValue"]);
    // The hub also names the field and its type, as Intuit's entity samples do.
    expect(
      SalesDocumentBody.shape.CustomField.def.innerType.def.element.safeParse({ ...element, Name: "Earnest Money", Type: "StringType" })
        .success,
    ).toBe(true);
  });
});
