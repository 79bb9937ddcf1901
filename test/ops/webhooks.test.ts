import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { syncWebhooks } from "../../src/ops/webhooks";
import { overriding } from "../helpers/env";
import { agentDotloop } from "../helpers/people";
import { deliverOutbox, resetSandbox, sandbox } from "../helpers/sandbox";
import { connectFlow, kind, setSettings } from "../vendors/support";
import { api, apiJson, postJson } from "./helpers";

const HUB = env.HUB_PUBLIC_URL;
type Report = {
  hubUrl: string;
  dryRun: boolean;
  vendors: Array<{
    vendor: string;
    connection: string;
    url: string;
    error?: unknown;
    actions: Array<{ kind: string; id?: string; events: string[]; url: string; done: boolean; from?: string }>;
  }>;
  consoles: Array<{ vendor: string; url: string; events: string[]; settings: string[] }>;
};
type FubHook = { id: number; event: string; url: string; status: string };
type DotloopSub = { id: string; url: string; eventTypes: string[]; externalId: string | null; enabled: boolean };

const fubHeaders = (system = true): Record<string, string> => ({
  authorization: `Basic ${btoa(`${env.FOLLOWUPBOSS_API_KEY}:`)}`,
  "content-type": "application/json",
  ...(system ? { "x-system": env.FOLLOWUPBOSS_SYSTEM, "x-system-key": env.FOLLOWUPBOSS_SYSTEM_KEY } : {}),
});

/** An agent adds a person in Follow Up Boss itself, as the CRM's own UI would. */
const agentAddsPerson = (email: string) =>
  sandbox("/followupboss/v1/people", {
    method: "POST",
    headers: fubHeaders(false),
    body: JSON.stringify({ firstName: "Ada", lastName: "Vance", emails: [{ value: email }] }),
  });

async function sync(body: Record<string, unknown> = {}): Promise<Report> {
  const res = await postJson("/webhooks/sync", body);
  expect(res.status).toBe(200);
  return res.json<Report>();
}

const outboxFor = (source: string) => sandbox<Array<{ url: string | null; path: string }>>(`/_sandbox/outbox?source=${source}`);

describe("webhook registration", () => {
  beforeEach(async () => {
    await resetSandbox();
    // As the real vendors do: nothing is delivered to a URL nobody registered.
    await setSettings("followupboss", { autoWebhooks: false });
    await setSettings("dotloop", { autoWebhooks: false });
  });

  it("registers every hub event, after which a change made in the CRM reaches the hub", async () => {
    await agentAddsPerson(`before-${crypto.randomUUID().slice(0, 6)}@example.com`);
    expect(await outboxFor("followupboss")).toEqual([]);

    const report = await sync({ connection: "followupboss:main" });
    const fub = report.vendors.find((v) => v.vendor === "followupboss");
    expect(fub?.url).toBe(`${HUB}/hooks/followupboss`);
    expect(fub?.actions.map((a) => `${a.kind}:${a.events[0]}:${a.done}`)).toEqual(
      ["peopleCreated", "peopleUpdated", "dealsCreated", "dealsUpdated", "notesCreated"].map((e) => `create:${e}:true`),
    );
    const hooks = await kind<FubHook>("followupboss", "webhook");
    expect(hooks.map((h) => h.url)).toEqual(Array(5).fill(`${HUB}/hooks/followupboss`));

    await agentAddsPerson(`after-${crypto.randomUUID().slice(0, 6)}@example.com`);
    const queued = await outboxFor("followupboss");
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((d) => d.url === `${HUB}/hooks/followupboss`)).toBe(true);
    const delivered = await deliverOutbox({ source: "followupboss" });
    expect(delivered.map((r) => r.status)).toEqual(delivered.map(() => 202));
  });

  it("a second sync finds everything in place and changes nothing", async () => {
    await sync();
    const before = await kind<FubHook>("followupboss", "webhook");
    const again = await sync();
    expect(again.vendors.flatMap((v) => v.actions.map((a) => a.kind))).toEqual(expect.arrayContaining(["keep"]));
    expect(again.vendors.flatMap((v) => v.actions.filter((a) => a.kind !== "keep"))).toEqual([]);
    expect(await kind<FubHook>("followupboss", "webhook")).toEqual(before);
  });

  it("repoints registrations left at an old hub URL, removes the hub's extras and leaves other integrations alone", async () => {
    const register = (event: string, url: string) =>
      sandbox<FubHook>("/followupboss/v1/webhooks", { method: "POST", headers: fubHeaders(), body: JSON.stringify({ event, url }) });
    const old = await register("peopleCreated", "https://old-hub.example.com/hooks/followupboss");
    const extra = await register("peopleCreated", "https://older-hub.example.com/hooks/followupboss");
    await sandbox("/followupboss/v1/webhooks", {
      method: "POST",
      headers: fubHeaders(),
      body: JSON.stringify({ event: "peopleUpdated", url: "https://zapier.example.com/catch/1" }),
    });

    const report = await sync({ connection: "followupboss:main" });
    const actions = report.vendors[0]?.actions ?? [];
    expect(actions).toContainEqual(
      expect.objectContaining({ kind: "update", id: String(old.id), from: "https://old-hub.example.com/hooks/followupboss", done: true }),
    );
    expect(actions).toContainEqual(expect.objectContaining({ kind: "delete", id: String(extra.id), done: true }));

    const hooks = await kind<FubHook>("followupboss", "webhook");
    expect(hooks.find((h) => h.id === old.id)?.url).toBe(`${HUB}/hooks/followupboss`);
    expect(hooks.find((h) => h.id === extra.id)).toBeUndefined();
    expect(hooks.filter((h) => h.url === "https://zapier.example.com/catch/1")).toHaveLength(1);
    expect(hooks.filter((h) => h.url === `${HUB}/hooks/followupboss`)).toHaveLength(5);
  });

  it("connecting Dotloop subscribes the hub to loop events, signed with the hub's Dotloop secret", async () => {
    const flow = await connectFlow("dotloop", "dotloop:main");
    expect(flow.done.status).toBe(200);
    expect(await flow.done.json()).toMatchObject({ status: "connected", webhooks: { vendor: "dotloop", url: `${HUB}/hooks/dotloop` } });
    const subs = await kind<DotloopSub>("dotloop", "subscription");
    expect(subs).toHaveLength(1);
    // Marked as the hub's, with a tag of the signing key it was given.
    expect(subs[0]).toMatchObject({
      url: `${HUB}/hooks/dotloop`,
      externalId: expect.stringMatching(/^dealwire:[0-9a-f]{16}$/),
      enabled: true,
    });
    expect(subs[0]?.eventTypes).toEqual(expect.arrayContaining(["LOOP_CREATED", "LOOP_UPDATED", "LOOP_PARTICIPANT_CREATED"]));
    const again = await sync({ connection: "dotloop:main" });
    expect(again.vendors[0]?.actions.map((a) => a.kind)).toEqual(["keep"]);
  });

  it("after the Dotloop secret is rotated, a sync replaces the subscription with one given the new key: deliveries verify once the old one is dropped", async () => {
    expect((await connectFlow("dotloop", "dotloop:main")).done.status).toBe(200);
    const fresh = `rotated-${crypto.randomUUID()}`;
    // Mid-rotation the hub accepts both secrets; the first is the one vendors are given.
    const rotating = overriding(env, { WEBHOOK_SECRET_DOTLOOP: `${fresh} ${env.WEBHOOK_SECRET_DOTLOOP}` });
    const report = await syncWebhooks(rotating, HUB, { only: "dotloop:main" });
    // Replaced, the new subscription first: nothing goes unsigned by a key the hub holds meanwhile.
    expect(report.vendors[0]?.actions.map((a) => `${a.kind}:${a.done}`)).toEqual(["create:true", "delete:true"]);
    expect(await kind<DotloopSub>("dotloop", "subscription")).toHaveLength(1);
    expect((await syncWebhooks(rotating, HUB, { only: "dotloop:main" })).vendors[0]?.actions.map((a) => a.kind)).toEqual(["keep"]);

    const dotloop = await agentDotloop();
    await dotloop("POST", "/profile/4711/loop", { name: `Rotation ${fresh.slice(8, 14)}` });
    const deliveries = await sandbox<Array<{ path: string; headers: Record<string, string>; body: string }>>(
      "/_sandbox/outbox/drain?source=dotloop",
      { method: "POST" },
    );
    expect(deliveries.length).toBeGreaterThan(0);
    const rotated = overriding(env, { WEBHOOK_SECRET_DOTLOOP: fresh });
    for (const d of deliveries) {
      const res = await worker.fetch(
        new Request(`http://hub.test${d.path}`, { method: "POST", headers: d.headers, body: d.body }),
        rotated,
        createExecutionContext(),
      );
      expect(res.status).toBe(202);
    }
  });

  it("the connect page names the registrations Dotloop refused, rather than saying the webhooks are registered", async () => {
    await setSettings("dotloop", { rejectWrites: { match: "^POST \\S*/subscription", status: 400 } });
    try {
      const flow = await connectFlow("dotloop", "dotloop:main", env, undefined, "text/html");
      expect(flow.done.status).toBe(200);
      const page = await flow.done.text();
      expect(page).toContain("1 of 1 webhook registrations");
      expect(page).toContain("npm run webhooks -- sync");
      expect(page).not.toContain("Webhooks are registered");
    } finally {
      await setSettings("dotloop", { rejectWrites: null });
    }
  });

  it("repoints the hub's Dotloop subscription left at an old hub URL, removes its extra and leaves other integrations alone", async () => {
    expect((await connectFlow("dotloop", "dotloop:main")).done.status).toBe(200);
    const [hub] = await kind<DotloopSub>("dotloop", "subscription");
    const dotloop = await agentDotloop();
    await dotloop("PATCH", `/subscription/${hub?.id}`, { url: "https://old-hub.example.com/hooks/dotloop" });
    const extra = (await dotloop("POST", "/subscription", {
      url: "https://older-hub.example.com/hooks/dotloop",
      eventTypes: ["LOOP_CREATED"],
      externalId: "dealwire",
    })) as { data: { id: string } };
    await dotloop("POST", "/subscription", {
      url: "https://zapier.example.com/catch/2",
      eventTypes: ["LOOP_UPDATED"],
      externalId: "zapier",
    });

    const report = await sync({ connection: "dotloop:main" });
    const actions = report.vendors[0]?.actions ?? [];
    expect(actions.map((a) => `${a.kind}:${a.done}`).sort()).toEqual(["delete:true", "update:true"]);

    const subs = await kind<DotloopSub>("dotloop", "subscription");
    const ours = subs.filter((s) => s.externalId?.startsWith("dealwire"));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ url: `${HUB}/hooks/dotloop`, enabled: true });
    expect(ours[0]?.eventTypes).toEqual(expect.arrayContaining(["LOOP_CREATED", "LOOP_UPDATED", "LOOP_PARTICIPANT_CREATED"]));
    expect([hub?.id, extra.data.id]).toContain(ours[0]?.id);
    expect(subs.filter((s) => s.url === "https://zapier.example.com/catch/2")).toHaveLength(1);
    const again = await sync({ connection: "dotloop:main" });
    expect(again.vendors[0]?.actions.map((a) => a.kind)).toEqual(["keep"]);
  });

  it("a dry run lists what it would change and changes nothing", async () => {
    const res = await apiJson<Report>("/webhooks");
    expect(res.dryRun).toBe(true);
    const fub = res.vendors.find((v) => v.vendor === "followupboss");
    expect(fub?.actions.filter((a) => a.kind === "create" && !a.done)).toHaveLength(5);
    expect(await kind<FubHook>("followupboss", "webhook")).toEqual([]);
  });

  it("says what to enter in the consoles of vendors the hub cannot register itself with", async () => {
    const res = await apiJson<Report>("/webhooks");
    const qbo = res.consoles.find((c) => c.vendor === "quickbooks");
    const ds = res.consoles.find((c) => c.vendor === "docusign");
    expect(qbo?.url).toBe(`${HUB}/hooks/quickbooks`);
    expect(qbo?.settings.join(" ")).toMatch(/WEBHOOK_SECRET_QUICKBOOKS/);
    expect(ds?.url).toBe(`${HUB}/hooks/docusign`);
    expect(ds?.settings.join(" ")).toMatch(/Recipients/);
  });

  it("refuses a misspelt dryRun rather than registering for real, and changes nothing", async () => {
    const res = await postJson("/webhooks/sync", { dryrun: true });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: "validation_failed",
      errors: [expect.objectContaining({ message: expect.stringContaining('"dryrun"') })],
    });
    expect(await kind<FubHook>("followupboss", "webhook")).toEqual([]);
  });

  it("takes an empty body as {} only without a content type or as JSON: an empty form posted from another site changes nothing", async () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]) {
      const res = await api("/webhooks/sync", { method: "POST", headers: { "content-type": type }, body: "" });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({ code: "unsupported_media_type" });
    }
    expect(await kind<FubHook>("followupboss", "webhook")).toEqual([]);
    const bare = await api("/webhooks/sync", { method: "POST" });
    expect(bare.status).toBe(200);
  });

  it("a connection the hub registers nothing for is a 404, not an empty success", async () => {
    for (const connection of ["followupboss:nope", "quickbooks:main"]) {
      const res = await postJson("/webhooks/sync", { connection, dryRun: true });
      expect(res.status, connection).toBe(404);
      expect(await res.json()).toMatchObject({ code: "not_found" });
    }
    expect((await postJson("/webhooks/sync", { connection: "followupboss:main", dryRun: true })).status).toBe(200);
  });

  it("refuses a malformed connection id with a problem document and changes nothing", async () => {
    const res = await postJson("/webhooks/sync", { connection: "Not An Id" });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: expect.any(String) });
    expect(await kind<FubHook>("followupboss", "webhook")).toEqual([]);
  });
});
