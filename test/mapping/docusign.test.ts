import { describe, expect, it } from "vitest";
import { CanonicalEvent } from "../../src/canonical";
import { subscribersFor } from "../../src/queues/routing";
import { mapDelivery } from "../../src/mapping";
import { ctx } from "./fixtures";

/** A Connect (JSON SIM) body with the fields DocuSign documents, trimmed of repeated settings. */
function connect(event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event,
    apiVersion: "v2.1",
    uri: "/restapi/v2.1/accounts/acc-1/envelopes/env-9",
    retryCount: 0,
    configurationId: 10418227,
    generatedDateTime: "2024-05-01T16:05:32.1234567Z",
    data: {
      accountId: "acc-1",
      userId: "user-1",
      envelopeId: "env-9",
      ...extra,
      envelopeSummary: {
        status: "completed",
        emailSubject: "Please sign: Purchase agreement, 12 Oak Ln",
        envelopeId: "env-9",
        allowMarkup: "false",
        createdDateTime: "2024-05-01T15:00:00.000Z",
        completedDateTime: "2024-05-01T16:05:30.000Z",
        sender: { userName: "Agent A", email: "agent@brokerage.com" },
        recipients: {
          signers: [
            {
              name: "Ana Ruiz",
              email: "Ana@Example.com",
              recipientId: "1",
              status: "completed",
              signedDateTime: "2024-05-01T15:30:00.000Z",
              routingOrder: "1",
            },
            {
              name: "Sean Seller",
              email: "sean@example.com",
              recipientId: "2",
              status: "completed",
              signedDateTime: "2024-05-01T16:05:29.000Z",
              routingOrder: "2",
            },
          ],
          carbonCopies: [],
          recipientCount: "2",
        },
        customFields: {
          textCustomFields: [{ fieldId: "1", name: "dealId", show: "false", required: "false", value: "loop-76046" }],
          listCustomFields: [],
        },
      },
    },
  };
}

describe("DocuSign Connect → document.signed", () => {
  it("envelope-completed: signers, title, completion time and custom fields", () => {
    const out = mapDelivery("docusign", connect("envelope-completed"), ctx);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const e = CanonicalEvent.parse(out.events[0]);
    expect(e).toMatchObject({
      type: "document.signed",
      occurredAt: "2024-05-01T16:05:32.123Z",
      source: { system: "docusign", account: "acc-1" },
      subject: { kind: "document", externalId: "env-9" },
      data: {
        envelopeId: "env-9",
        scope: "envelope",
        status: "completed",
        title: "Please sign: Purchase agreement, 12 Oak Ln",
        completedAt: "2024-05-01T16:05:30.000Z",
        customFields: { dealId: "loop-76046" },
      },
    });
    if (e.type === "document.signed") {
      expect(e.data.signers).toEqual([
        { name: "Ana Ruiz", email: "ana@example.com", recipientId: "1", status: "completed", signedAt: "2024-05-01T15:30:00.000Z" },
        { name: "Sean Seller", email: "sean@example.com", recipientId: "2", status: "completed", signedAt: "2024-05-01T16:05:29.000Z" },
      ]);
    }
    expect(out.drift).toEqual([]);
    expect(subscribersFor(e)).toEqual(["crm"]);
  });

  it("recipient-completed: scoped to the recipient who signed", () => {
    const out = mapDelivery("docusign", connect("recipient-completed", { recipientId: "1" }), ctx);
    expect(out.ok && out.events[0]?.data).toMatchObject({ scope: "recipient", recipientId: "1" });
  });

  it("other Connect events are acknowledged without an event", () => {
    expect(mapDelivery("docusign", connect("envelope-sent"), ctx)).toEqual({ ok: true, events: [], drift: [], issues: [] });
  });

  it("an envelope id is required", () => {
    const body = connect("envelope-completed");
    const data = body.data as Record<string, unknown>;
    delete data.envelopeId;
    delete (data.envelopeSummary as Record<string, unknown>).envelopeId;
    expect(mapDelivery("docusign", body, ctx)).toMatchObject({ ok: false, code: "missing_required" });
  });
});
