import * as z from "../../lib/zod";
import type { Registration } from "../../flows/webhook-registration";
import { isHubHook } from "../shared/hub-hook";
import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection } from "../shared/transport";

/** Follow Up Boss `/v1/webhooks`: one registration per event, at most 2 per event per system. */
const FubWebhook = z.looseObject({
  id: z.pipe(z.union([z.number(), z.string()]), z.transform(String)),
  event: z.string(),
  url: z.string(),
  status: z.optional(z.string()),
  system: z.optional(z.string()),
});
const WebhookPage = z.looseObject({ webhooks: z._default(z.array(FubWebhook), []) });

const unexpected = (what: string, e: z.core.$ZodError) =>
  permanent("vendor_unexpected_response", `${what}: ${e.issues[0]?.message ?? "invalid"}`, { vendor: "followupboss" });

/** The events the hub consumes from Follow Up Boss. */
export const FUB_HOOK_EVENTS = ["peopleCreated", "peopleUpdated", "dealsCreated", "dealsUpdated", "notesCreated"];

/** Registrations the vendor holds, normalized; ours = this system's pointing at a hub intake. */
export async function listFubWebhooks(conn: Connection): Promise<Result<Registration[]>> {
  const r = await vendorRequest<unknown>(conn, { method: "GET", path: "/v1/webhooks", query: { limit: 100 } });
  if (!r.ok) return r;
  const page = WebhookPage.safeParse(r.value.data);
  if (!page.success) return unexpected("GET /v1/webhooks", page.error);
  const system = conn.config.credentials.system;
  return ok(
    page.data.webhooks.map((w) => ({
      id: w.id,
      events: [w.event],
      url: w.url,
      active: (w.status ?? "Active") === "Active",
      ours: isHubHook(w.url, "followupboss") && (w.system === undefined || system === undefined || w.system === system),
    })),
  );
}

export async function createFubWebhook(conn: Connection, event: string, url: string): Promise<Result<string>> {
  const r = await vendorRequest<unknown>(conn, { method: "POST", path: "/v1/webhooks", json: { event, url } });
  if (!r.ok) return r;
  const w = FubWebhook.safeParse(r.value.data);
  return w.success ? ok(w.data.id) : unexpected("POST /v1/webhooks", w.error);
}

export async function updateFubWebhook(conn: Connection, id: string, url: string): Promise<Result<true>> {
  const r = await vendorRequest<unknown>(conn, {
    method: "PUT",
    path: `/v1/webhooks/${encodeURIComponent(id)}`,
    json: { url, status: "Active" },
  });
  return r.ok ? ok(true) : r;
}

export async function deleteFubWebhook(conn: Connection, id: string): Promise<Result<true>> {
  const r = await vendorRequest<unknown>(conn, { method: "DELETE", path: `/v1/webhooks/${encodeURIComponent(id)}` });
  return r.ok ? ok(true) : r;
}
