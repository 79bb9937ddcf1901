/**
 * QuickBooks webhooks on entity create/update/delete/void, to the hub's /hooks/quickbooks, signed
 * `intuit-signature` = base64(HMAC-SHA256(verifier token, body)). The body is the legacy
 * `eventNotifications` document or the CloudEvents array (setting `webhookFormat`).
 */
import type { VendorCtx } from "../core/context";
import { isoOffset } from "../lib/time";

/** Intuit retries at 20, 30 and 50 minutes, then drops the message. */
const LADDER_MS = [20, 30, 50].map((m) => m * 60_000);

const PAST: Record<string, string> = { Create: "created", Update: "updated", Delete: "deleted", Void: "voided" };

export function fireQuickBooks(
  vs: VendorCtx,
  entity: string,
  id: string,
  operation: "Create" | "Update" | "Delete" | "Void",
  realmId: string,
): void {
  if (!vs.settings.autoWebhooks) return;
  const now = vs.now();
  const lastUpdated = new Date(now).toISOString();
  const body =
    vs.settings.webhookFormat === "cloudevents"
      ? [
          {
            specversion: "1.0",
            id: vs.rng.uuid(),
            source: "intuit.dealwire-sandbox",
            type: `qbo.${entity.toLowerCase()}.${PAST[operation] ?? "updated"}.v1`,
            datacontenttype: "application/json",
            time: lastUpdated,
            intuitentityid: id,
            intuitaccountid: realmId,
            data: {},
          },
        ]
      : { eventNotifications: [{ realmId, dataChangeEvent: { entities: [{ name: entity, id, operation, lastUpdated }] } }] };
  vs.emit({
    source: "quickbooks",
    url: null,
    body,
    sign: { scheme: "quickbooks", key: vs.env.QUICKBOOKS_VERIFIER_TOKEN, tid: `${vs.rng.hex(8)}-${isoOffset(now).slice(0, 10)}` },
    ladderMs: LADDER_MS,
  });
}
