/**
 * DocuSign Connect as an emitter: `POST /_sandbox/docusign/envelope-completed` sends an
 * `envelope-completed` (or, with `event`, a `recipient-completed`) JSON event to the hub's
 * `/hooks/docusign` with
 * `X-DocuSign-Signature-1` = base64(HMAC-SHA256(Connect key, body)). By default in the minimal
 * form Connect sends unless its configuration includes the envelope's data (no `envelopeSummary`,
 * so no recipients); the `connectData: "summary"` setting adds the summary with its signers.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { VendorDef, VendorEnv } from "../core/context";
import { json, readJson } from "../lib/http";
import { breaks } from "../state/settings";

/** Connect retries failed deliveries; the sandbox uses a short ladder (before timeScale). */
const LADDER_MS = [60_000, 300_000, 900_000, 3_600_000];

const EnvelopeSchema = z.strictObject({
  envelopeId: z.string().min(1).optional(),
  signerEmail: z.email(),
  signerName: z.string().min(1).optional(),
  subject: z.string().min(1),
  /** `recipient-completed`: one recipient finished (Connect sends it when the configuration asks). */
  event: z.enum(["envelope-completed", "recipient-completed"]).optional(),
  /** Connect's own count of its attempts at this event: a retry is a new body with a higher one. */
  retryCount: z.int().min(0).optional(),
});

const app = new Hono<VendorEnv>();

app.post("/_sandbox/docusign/envelope-completed", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const parsed = EnvelopeSchema.safeParse(read.ok ? read.value : undefined);
  if (!parsed.success) {
    return json(
      { error: "invalid_request", issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
      400,
    );
  }
  const { signerEmail, subject } = parsed.data;
  const envelopeId = parsed.data.envelopeId ?? vs.rng.uuid();
  const accountId = "4f6b2a1e-0000-4000-8000-00000000d0c5";
  const completed = new Date(vs.now()).toISOString();
  const signerName = parsed.data.signerName ?? signerEmail.split("@")[0] ?? "Signer";
  const event = parsed.data.event ?? "envelope-completed";
  const body = {
    event,
    apiVersion: "v2.1",
    uri: `/restapi/v2.1/accounts/${accountId}/envelopes/${envelopeId}`,
    retryCount: parsed.data.retryCount ?? 0,
    configurationId: 10_001,
    generatedDateTime: completed,
    data: {
      accountId,
      userId: "6a1c0b2d-0000-4000-8000-0000000005e1",
      envelopeId,
      ...(event === "recipient-completed" ? { recipientId: "1" } : {}),
      // Connect sends `envelopeSummary` (with the recipients) only when its configuration includes
      // it (`connectData: "summary"`); `connectRecipients` breaks that for the doctor's tests.
      ...(vs.settings.connectData === "summary" && !breaks(vs.settings, "connectRecipients")
        ? {
            envelopeSummary: {
              status: "completed",
              emailSubject: subject,
              recipients: {
                signers: [{ email: signerEmail, name: signerName, status: "completed", recipientId: "1", signedDateTime: completed }],
              },
              completedDateTime: completed,
            },
          }
        : {}),
    },
  };
  const queued = vs.emit({
    source: "docusign",
    url: null,
    body,
    sign: { scheme: "docusign", key: vs.env.WEBHOOK_SECRET_DOCUSIGN },
    ladderMs: LADDER_MS,
  });
  return json({ envelopeId, deliveryIds: queued.ids, dropped: queued.dropped, duplicated: queued.duplicated, body });
});

export const docusignEmitter: VendorDef = {
  name: "docusign",
  app,
  contextOf: () => "emit",
  errorBody: (_s, message) => ({ body: { errorCode: "UNSPECIFIED_ERROR", message } }),
  faultable: () => false,
  seed: () => undefined,
};
