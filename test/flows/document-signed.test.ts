import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { deliverOutbox, records, resetSandbox, sandbox, setSettings } from "../helpers/sandbox";

async function emitCompleted(
  signerEmail: string,
  more: { envelopeId?: string; event?: "recipient-completed"; retryCount?: number } = {},
): Promise<string> {
  const r = await sandbox<{ envelopeId: string }>("/_sandbox/docusign/envelope-completed", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ signerEmail, subject: "Purchase agreement - 12 Oak Ln", ...more }),
  });
  const [res] = await deliverOutbox({ source: "docusign" });
  expect(res?.status).toBe(202);
  return r.envelopeId;
}

/** A lead the hub has sent to the CRM, who will sign: its person and CRM contact id. */
async function knownSigner(firstName: string, email: string, phone: string): Promise<{ id: string; external_id: string }> {
  const lead = { type: "lead.created", timestamp: new Date().toISOString(), data: { firstName, lastName: "Signer", email, phone } };
  expect((await post(await signedDelivery("idx", lead))).status).toBe(202);
  return eventually(() =>
    env.DB.prepare(
      "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' AND l.kind = 'person' WHERE p.email = ?1",
    )
      .bind(email)
      .first<{ id: string; external_id: string }>(),
  );
}

const stagesOf = async (subject: string) =>
  (
    await env.DB.prepare("SELECT stage, outcome, detail FROM traces WHERE subject = ?1 ORDER BY id")
      .bind(subject)
      .all<{ stage: string; outcome: string; detail: string }>()
  ).results;

describe("a signed DocuSign envelope", () => {
  beforeEach(async () => {
    await resetSandbox();
  });

  it("that arrives in Connect's minimal form (no recipients) raises an alert naming the Connect setting, never a silent skip", async () => {
    const envelopeId = await emitCompleted(`signer.${crypto.randomUUID().slice(0, 8)}@example.com`);
    const trace = await eventually(async () => (await stagesOf(envelopeId)).find((t) => t.stage === "DOCUMENT_NO_SIGNERS"), 10_000);
    expect(trace.outcome).toBe("error");
    const alert = await env.DB.prepare(
      "SELECT severity, title, detail, state FROM alerts WHERE key = 'document_without_signers:docusign'",
    ).first<{ severity: string; detail: string; state: string }>();
    expect(alert).toMatchObject({ severity: "warning", state: "firing" });
    expect(alert?.detail).toContain(envelopeId);
    expect(alert?.detail).toContain("Recipients");
  });

  it("with the envelope summary, an unknown signer is traced as unmatched and raises nothing", async () => {
    await setSettings("docusign", { connectData: "summary" });
    const before = await env.DB.prepare("SELECT count FROM alerts WHERE key = 'document_without_signers:docusign'").first<{
      count: number;
    }>();
    const envelopeId = await emitCompleted(`nobody.${crypto.randomUUID().slice(0, 8)}@example.com`);
    const trace = await eventually(async () => (await stagesOf(envelopeId)).find((t) => t.stage === "DOCUMENT_UNMATCHED"), 10_000);
    expect(trace.outcome).toBe("skipped");
    const after = await env.DB.prepare("SELECT count FROM alerts WHERE key = 'document_without_signers:docusign'").first<{
      count: number;
    }>();
    expect(after?.count ?? 0).toBe(before?.count ?? 0);
  });
  it("with the envelope summary, a known signer's person gets a note in the CRM naming the document", async () => {
    await setSettings("docusign", { connectData: "summary" });
    const email = `signer.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const person = await knownSigner("Sia", email, "5125550183");

    const envelopeId = await emitCompleted(email);
    const notes = await eventually(async () => {
      const r = await records<{ note?: Array<{ personId: number; subject: string; body: string }> }>("followupboss");
      const mine = (r.note ?? []).filter((n) => n.personId === Number(person.external_id) && n.subject === "Document signed");
      return mine.length ? mine : null;
    }, 10_000);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("Purchase agreement - 12 Oak Ln");
    expect(notes[0]?.body).toContain(envelopeId);
    // The trace is written with the action's completion, just after the CRM has the note.
    const signed = await eventually(async () => (await stagesOf(person.id)).find((t) => t.stage === "DOCUMENT_SIGNED"), 10_000);
    expect(signed.detail).toBe(envelopeId);
  });
});

// No sandbox reset here: it would hand out the CRM ids of the people above again.
describe("a DocuSign envelope Connect tells of more than once", () => {
  it("gets one note however Connect tells it: a recipient's signing and Connect's retries add none", async () => {
    await setSettings("docusign", { connectData: "summary" });
    const email = `once.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const crmId = (await knownSigner("Ona", email, "5125550184")).external_id;
    const notes = async () =>
      ((await records<{ note?: Array<{ personId: number; subject: string }> }>("followupboss")).note ?? []).filter(
        (n) => n.personId === Number(crmId) && n.subject === "Document signed",
      ).length;
    const envelopeId = await emitCompleted(email, { event: "recipient-completed" });
    await eventually(async () => (await stagesOf(envelopeId)).some((t) => t.stage === "DOCUMENT_RECIPIENT_SIGNED"), 10_000);
    expect(await notes()).toBe(0);
    await emitCompleted(email, { envelopeId });
    await eventually(async () => (await notes()) === 1 || null, 10_000);
    // Connect retries the same event as a new body (its retryCount goes up): no second note.
    await emitCompleted(email, { envelopeId, retryCount: 1 });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await notes()).toBe(1);
  });
});
