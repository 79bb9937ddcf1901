import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { golden, loopNotice, quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { api } from "../ops/helpers";
import { setSettings } from "../helpers/sandbox";
import { sellLoop } from "../helpers/tms-sync";

describe("a linked loop that Dotloop answers not found", () => {
  it("fails into a dead letter naming its deal and moves nothing; read again once Dotloop finds it, the sale applies", async () => {
    const d = await dealUnderContract(
      { firstName: "Unread", lastName: "Loop", email: "unread.loop@example.com", phone: "5125550177" },
      "14 Elm St, Austin, TX 78704",
      410000,
    );
    await quiet();
    await sellLoop(d);
    // The loop itself, not its details or participants: as when the grant's profile no longer sees it.
    await setSettings("dotloop", { rejectReads: { match: `^GET \\S*/loop/${d.loop.id}\\n`, status: 404 } });
    let letter: { id: string; error_code: string; status: string };
    try {
      await env.TMS.send(loopNotice(d.loop.id));
      letter = await eventually(() =>
        env.DB.prepare("SELECT id, error_code, status FROM dead_letters WHERE subject = ?1")
          .bind(d.dealId)
          .first<{ id: string; error_code: string; status: string }>(),
      );
      expect(letter).toMatchObject({ error_code: "transaction_unreadable", status: "open" });
      expect((await golden(d.dealId)).stage).toBe("under_contract");
    } finally {
      await setSettings("dotloop", { rejectReads: null });
    }
    expect((await api(`/dead-letters/${letter.id}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(async () => ((await golden(d.dealId)).stage === "closed" ? true : null));
  });
});
