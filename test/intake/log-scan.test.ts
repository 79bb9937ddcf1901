// The log scan (test/setup/log-scan.ts) runs over every workers test; this proves it is live.
import { describe, expect, it } from "vitest";
import { log } from "../../src/lib/log";
import { takeLeaks } from "../setup/log-scan";
import { eventually, post, sampleBody, signedDelivery } from "../helpers/deliveries";
import { env } from "cloudflare:workers";

describe("the log scan over the workers tests", () => {
  it("sees a line the hub logs, and names what leaked", () => {
    log("info", "probe", { note: "ana.ruiz@example.com", callback: "(512) 555-0142" });
    expect(takeLeaks().map((l) => [l.kind, l.excerpt])).toEqual([
      ["email", "ana.ruiz@example.com"],
      ["phone", "(512) 555-0142"],
    ]);
  });

  it("finds nothing in what a lead carrying an email and a phone makes the hub log", async () => {
    const res = await post(await signedDelivery("zillow", sampleBody("zillow", crypto.randomUUID())));
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    await eventually(() => env.DB.prepare("SELECT 1 FROM deliveries WHERE id = ?1 AND status = 'normalized'").bind(id).first());
    expect(takeLeaks()).toEqual([]);
  });
});
