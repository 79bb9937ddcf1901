import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../scripts/cli/run";
import { fireAlert } from "../../src/alerts";
import { cliAgainst } from "./cli-harness";
import { resetSandbox } from "../helpers/sandbox";
import { setSettings } from "../vendors/support";
import { hub, tag } from "./helpers";
import { deadLetter, inboundLead, letterStatus } from "./letters";
import { upsertDeadLetter } from "../../src/store/dead-letters";

const dealwire = cliAgainst();

const lead = () => {
  const t = tag();
  return { email: `cli-${t}@example.com`, name: `Cli ${t}`, phone: "+13035550142" };
};

describe("the dealwire CLI against the hub", () => {
  beforeEach(async () => {
    await resetSandbox();
    await setSettings("followupboss", { autoWebhooks: false });
  });

  it("status prints each connection and the open dead letters", async () => {
    const r = await dealwire("status");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^connection\s+active/m);
    expect(r.out).toMatch(/followupboss:main\s+yes/);
    expect(r.out).toMatch(/dead letters:/);
  });

  it("lists a dead letter, shows it, and discards it with a reason", async () => {
    const id = await deadLetter(inboundLead(lead()), { queue: "inbound", code: "cli_test_code" });
    const list = await dealwire("dead-letters", "list", "--code", "cli_test_code");
    expect(list.code).toBe(0);
    expect(list.out).toContain(id);
    expect(list.out).toMatch(/1 shown of 1/);

    const json = JSON.parse((await dealwire("dead-letters", "list", "--code", "cli_test_code", "--json")).out) as {
      deadLetters: Array<{ id: string }>;
    };
    expect(json.deadLetters.map((l) => l.id)).toEqual([id]);

    const show = await dealwire("dead-letters", "show", id);
    expect(JSON.parse(show.out)).toMatchObject({ id });

    const discard = await dealwire("dead-letters", "discard", id, "--reason", "test letter");
    expect(discard).toMatchObject({ code: 0, out: `${id} discarded` });
    expect(await letterStatus(id)).toBe("discarded");
  });

  it("resolves a firing alert by key with a reason, and the list shows it resolved", async () => {
    const key = `permanent:crm:cli_${tag()}`;
    await fireAlert(env, { key, severity: "critical", title: "CLI test alert" });
    expect((await dealwire("alerts")).out).toMatch(new RegExp(`firing\\s+critical\\s+${key}`));
    expect(await dealwire("alerts", "resolve", key, "--reason", "handled in the CRM")).toMatchObject({ code: 0, out: `${key} resolved` });
    expect((await dealwire("alerts")).out).toMatch(new RegExp(`resolved\\s+critical\\s+${key}`));
    const again = await dealwire("alerts", "resolve", key, "--reason", "handled in the CRM");
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/409 conflict/);
  });

  it("replays one letter to its queue", async () => {
    const id = await deadLetter(inboundLead(lead()), { queue: "inbound", code: "cli_replay_one" });
    const r = await dealwire("dead-letters", "replay", id);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${id} replayed → inbound`));
    expect(await letterStatus(id)).toBe("replayed");
  });

  it("a bulk replay that leaves letters open says how many and exits 1, even those no queue takes", async () => {
    const code = `cli_unknown_${crypto.randomUUID().slice(0, 8)}`;
    // A letter whose queue could not be told: listed as open, matched by no replay.
    await upsertDeadLetter(env.DB, {
      id: `dl_${code}`,
      queue: "unknown",
      messageId: `msg-${code}`,
      errorCode: code,
      error: "raw body of no known shape",
      attempts: 1,
      payload: "{}",
      now: Date.now(),
    });
    const r = await dealwire("dead-letters", "replay", "--all", "--code", code);
    expect(r.out).toMatch(/replayed 0 of 1; 0 failed to send; 1 still open/);
    expect(r.code).toBe(1);
  });

  it("webhooks sync registers the CRM's hooks and prints what to set in the consoles", async () => {
    const r = await dealwire("webhooks", "sync", "--connection", "followupboss:main");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ create peopleCreated/);
    expect(r.out).toMatch(/quickbooks: set in/);
    const again = await dealwire("webhooks", "status");
    expect(again.out).toMatch(/✓ keep\s+peopleCreated/);
  });

  it("a refused call exits 1 with the hub's problem, and a wrong token is refused", async () => {
    const missing = await dealwire("dead-letters", "show", "dl_missing");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404 not_found/);
    const out: string[] = [];
    const code = await runCli(["status"], {
      fetch: async (u, i) => hub.request(u, i, env),
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { DEALWIRE_OPS_TOKEN: "wrong" },
    });
    expect(code).toBe(1);
    expect(out.join("\n")).toMatch(/401/);
  });

  it("usage errors exit 2 and say how to call it", async () => {
    expect((await dealwire("dead-letters", "discard", "x")).code).toBe(2);
    expect((await dealwire("alerts", "resolve", "x")).code).toBe(2);
    expect((await dealwire("nonsense")).err).toMatch(/unknown command 'nonsense'/);
  });
});
