import { afterEach, describe, expect, it, vi } from "vitest";
import type { Gate } from "../../src/durable/vendor-gate";
import { dotloopAuth } from "../../src/vendors/dotloop/auth";
import { DotloopClient } from "../../src/vendors/dotloop/client";
import { connectFlow, expireAtHub, kind, open, resetGate, setSettings, sleep, storedCredential, uid } from "./support";

interface SandboxRefresh {
  token: string;
  revoked: boolean;
}

/** A per-agent Dotloop connection of its own, connected through the real flow. */
async function connected(): Promise<string> {
  const id = `dotloop:agent-r${uid()}`;
  const flow = await connectFlow("dotloop", id);
  expect(flow.done.status).toBe(200);
  return id;
}

const client = (id: string) => new DotloopClient(open(id));

/** Waits until Dotloop has rotated `token` away: the refresh reached it and its answer is on its way. */
async function rotated(token: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = (await kind<SandboxRefresh>("dotloop", "refreshToken")).find((t) => t.token === token);
    if (r?.revoked) return;
    await sleep(20);
  }
  throw new Error("the refresh never reached the sandbox");
}

/** The refresh tokens Dotloop still honours among those it issued. */
async function live(): Promise<Set<string>> {
  return new Set((await kind<SandboxRefresh>("dotloop", "refreshToken")).filter((t) => !t.revoked).map((t) => t.token));
}

afterEach(async () => {
  vi.useRealTimers();
  await setSettings("dotloop", { latencyMs: 0 });
});

describe("Refreshing a rotating refresh token", () => {
  it("two refreshes with a reset of the gate between them: one reaches Dotloop, and the newest refresh token is stored and renews again", async () => {
    const id = await connected();
    const before = await expireAtHub(id);
    const issuedBefore = (await kind<SandboxRefresh>("dotloop", "refreshToken")).length;
    // Dotloop answers slowly: the first refresh is still on its way back when the gate is reset.
    await setSettings("dotloop", { latencyMs: 1_500 });
    const first = client(id).getProfiles();
    await rotated(before.refreshToken ?? "");
    await resetGate(id);
    const second = client(id).getProfiles();
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    await setSettings("dotloop", { latencyMs: 0 });

    expect((await kind<SandboxRefresh>("dotloop", "refreshToken")).length - issuedBefore).toBe(1);
    const stored = await storedCredential(id);
    expect(stored?.refreshToken).not.toBe(before.refreshToken);
    expect((await live()).has(stored?.refreshToken ?? "")).toBe(true);

    await expireAtHub(id);
    expect((await client(id).getProfiles()).ok).toBe(true);
    const next = await storedCredential(id);
    expect(next?.refreshToken).not.toBe(stored?.refreshToken);
    expect((await live()).has(next?.refreshToken ?? "")).toBe(true);
  });

  it("a refresh still in flight a minute later keeps its lease: a second caller waits for it instead of refreshing again", async () => {
    const id = await connected();
    const before = await expireAtHub(id);
    await setSettings("dotloop", { latencyMs: 1_500 });
    const first = client(id).getProfiles();
    await rotated(before.refreshToken ?? "");
    // A minute passes for the hub (the vendor call may take up to 120 s).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 60_000 });
    const second = client(id).getProfiles();
    const results = await Promise.all([first, second]);
    vi.useRealTimers();
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const stored = await storedCredential(id);
    expect((await live()).has(stored?.refreshToken ?? "")).toBe(true);
  });

  it("a rotated refresh token the gate is too busy to take at first is stored once it can be, and renews again", async () => {
    const id = await connected();
    const before = await expireAtHub(id);
    const conn = open(id);
    // The gate answers its first two stores as an overloaded Durable Object does.
    let refusals = 2;
    const busy: Gate = {
      ...conn.gate,
      storeCredential: async (leaseId, credential) => {
        if (refusals-- > 0) throw Object.assign(new Error("Durable Object is overloaded"), { overloaded: true });
        return conn.gate.storeCredential(leaseId, credential);
      },
    };
    const r = await new DotloopClient({ ...conn, gate: busy, auth: dotloopAuth(conn.config, busy) }).getProfiles();
    expect(r.ok).toBe(true);
    const stored = await storedCredential(id);
    expect(stored?.refreshToken).not.toBe(before.refreshToken);
    expect((await live()).has(stored?.refreshToken ?? "")).toBe(true);

    await expireAtHub(id);
    expect((await client(id).getProfiles()).ok).toBe(true);
  });
});
