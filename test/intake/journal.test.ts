import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { requeueStranded } from "../../src/cron";
import { journalDelivery } from "../../src/store/journal";
import { eventually } from "../helpers/deliveries";

describe("intake journal (local runtime, INTAKE_JOURNAL=on)", () => {
  it("re-enqueues an accepted delivery whose queue message was lost, and it is then recorded once", async () => {
    const deliveryId = crypto.randomUUID();
    const message = {
      v: 1,
      deliveryId,
      source: "followupboss",
      deliveryKey: `evt:lost-${deliveryId}`,
      receivedAt: Date.now() - 120_000,
      headers: {},
      body: { eventId: `lost-${deliveryId}`, event: "notesCreated", resourceIds: [9], uri: "https://api.followupboss.com/v1/notes?id=9" },
    };
    // The route journaled it, then the process died before the queue delivered it.
    await journalDelivery(env.DB, deliveryId, message, Date.now() - 120_000);
    const journalOn = { ...env, INTAKE_JOURNAL: "on" } as Env;
    expect(await requeueStranded({ ...env, INTAKE_JOURNAL: "off" } as Env, Date.now())).toBe(0);
    expect(await requeueStranded(journalOn, Date.now())).toBe(1);
    const row = await eventually(() => env.DB.prepare("SELECT status FROM deliveries WHERE id = ?1 AND status != 'received'").bind(deliveryId).first<{ status: string }>());
    expect(row.status).toBe("normalized");
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM intake_journal").first<{ n: number }>();
    expect(left?.n).toBe(0);
    // A second sweep finds nothing: the journal entry was forgotten once ingested.
    expect(await requeueStranded(journalOn, Date.now())).toBe(0);
  });
});
