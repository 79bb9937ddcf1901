/**
 * DocuSign Connect (JSON, SIM format): `envelope-completed` and `recipient-completed` become
 * `document.signed`, the same event a TMS would produce when a document is fully signed.
 */
import type { FieldMap } from "../types";

const SUMMARY = "data.envelopeSummary";

export const DOCUSIGN_CONNECT: FieldMap = {
  name: "docusign.connect",
  system: "docusign",
  event: "document.signed",
  subject: "document",
  tables: { scope: { "envelope-completed": "envelope", "recipient-completed": "recipient" } },
  rules: [
    { from: "event", to: "scope", norm: "lookup:scope", required: true },
    { from: "generatedDateTime", to: "$.occurredAt", norm: "instant" },
    { from: "data.envelopeId", to: "envelopeId", required: true, aliases: [`${SUMMARY}.envelopeId`] },
    { from: "data.envelopeId", to: "$.subjectId" },
    { from: "data.accountId", to: "$.account" },
    { from: "data.recipientId", to: "recipientId", norm: "id" },
    { from: `${SUMMARY}.status`, to: "status" },
    { from: `${SUMMARY}.emailSubject`, to: "title" },
    { from: `${SUMMARY}.completedDateTime`, to: "completedAt", norm: "instant" },
    {
      from: `${SUMMARY}.recipients.signers`,
      to: "signers[]",
      items: [
        { from: "name", to: "name" },
        { from: "email", to: "email", norm: "email" },
        { from: "recipientId", to: "recipientId", norm: "id" },
        { from: "status", to: "status" },
        { from: "signedDateTime", to: "signedAt", norm: "instant" },
      ],
    },
    { from: `${SUMMARY}.customFields.textCustomFields`, to: "customFields", norm: "nameValuePairs" },
    { from: `${SUMMARY}.customFields.listCustomFields`, to: "customFields", norm: "nameValuePairs" },
  ],
  // Connect summaries carry dozens of envelope and recipient settings; only the above matter.
  open: [SUMMARY, `${SUMMARY}.recipients`, `${SUMMARY}.recipients.signers[]`, `${SUMMARY}.customFields`],
  ignore: ["apiVersion", "uri", "retryCount", "configurationId", "data.userId"],
};
