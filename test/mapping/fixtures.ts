/** Lead bodies in each source's documented default shape, and a fixed mapping context. */
import type { MapContext } from "../../src/mapping";

export const ctx: MapContext = { deliveryId: "dlv_test", receivedAt: Date.UTC(2024, 4, 1, 17, 0, 0) };

/** 415-666-7777 is one of libphonenumber's own VALID_CASES for the US. */
export const PHONE = "(415) 666-7777";
export const PHONE_E164 = "+14156667777";

export function zillowLead(data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "lead.created",
    timestamp: "2024-05-01T16:59:00Z",
    data: {
      contact_name: "Ana Ruiz",
      contact_email_address: "Ana.Ruiz@Example.com",
      phone_number: PHONE,
      message: "Is 12 Oak Ln still available?",
      listing: { street: "12 Oak Ln", city: "Austin", state: "TX", zip: "78701", mls_id: "1234567", price: "$450,000" },
      ...data,
    },
  };
}

export function realtorLead(data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "lead.created",
    timestamp: "2024-05-01T16:59:00Z",
    data: {
      lead_id: "rdc-778",
      role: "seller",
      contact: { first_name: "Bo", last_name: "Chen", email: "bo@example.com", phone: PHONE },
      property: { address: "9 Elm St", city: "Boise", state: "ID", postal_code: "83702", mls_id: "98765", price: 315000 },
      message: "What is my home worth?",
      ...data,
    },
  };
}

export function idxLead(data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "form.submitted",
    timestamp: "2024-05-01T16:59:00Z",
    data: {
      firstName: "cara",
      lastName: "DIAZ",
      email: "cara@example.com",
      phone: PHONE,
      message: "Please call me",
      property: { street: "500 Pine Ave", city: "Denver", state: "CO", zip: "80202", mlsNumber: "55501", price: "525000" },
      ...data,
    },
  };
}
