import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { DotloopClient } from "../../src/vendors/dotloop/client";
import { connectFlow, open, resetGate, storedCredential, uid } from "./support";

const KEY_A = env.TOKEN_ENCRYPTION_KEY;
const vars = env as unknown as Record<string, string | undefined>;

/** Deploys the hub with these encryption keys: the gates restart and read the new secrets. */
async function useKeys(id: string, newest: string, old?: string): Promise<void> {
  vars.TOKEN_ENCRYPTION_KEY = newest;
  if (old === undefined) delete vars.TOKEN_ENCRYPTION_KEYS_OLD;
  else vars.TOKEN_ENCRYPTION_KEYS_OLD = old;
  await resetGate(id);
}

const freshKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

const sealedOf = (id: string) => runInDurableObject(env.VENDOR_GATE.getByName(id), (_g, state) => state.storage.get<string>("credential"));
const putSealed = (id: string, sealed: string) =>
  runInDurableObject(env.VENDOR_GATE.getByName(id), (_g, state) => state.storage.put("credential", sealed));

async function connected(): Promise<string> {
  const id = `dotloop:agent-k${uid()}`;
  const flow = await connectFlow("dotloop", id);
  expect(flow.done.status).toBe(200);
  return id;
}

const profiles = (id: string) => new DotloopClient(open(id)).getProfiles();

afterEach(() => {
  vars.TOKEN_ENCRYPTION_KEY = KEY_A;
  delete vars.TOKEN_ENCRYPTION_KEYS_OLD;
});

describe("Rotating TOKEN_ENCRYPTION_KEY", () => {
  it("a token sealed under key A still works after rotating to B with A kept as old, and is sealed again under B on use", async () => {
    const id = await connected();
    const underA = (await sealedOf(id)) ?? "";
    expect(underA).toMatch(/^v2\.[\w-]{11}\./);

    const keyB = freshKey();
    await useKeys(id, keyB, KEY_A);
    expect((await profiles(id)).ok).toBe(true);
    const underB = (await sealedOf(id)) ?? "";
    expect(underB.split(".")[1]).not.toBe(underA.split(".")[1]);

    // With A retired for good, the connection keeps working: nothing is left sealed under A.
    await useKeys(id, keyB);
    expect((await profiles(id)).ok).toBe(true);
  });

  it("a value sealed in the earlier v1 format opens and is sealed again as v2", async () => {
    const id = await connected();
    const cred = await storedCredential(id);
    const key = await crypto.subtle.importKey(
      "raw",
      Uint8Array.from(atob(KEY_A), (ch) => ch.charCodeAt(0)),
      "AES-GCM",
      false,
      ["encrypt"],
    );
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(cred))));
    const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
    await putSealed(id, `v1.${b64(iv)}.${b64(ct)}`);
    await resetGate(id);

    expect((await profiles(id)).ok).toBe(true);
    expect(await sealedOf(id)).toMatch(/^v2\./);
    expect((await storedCredential(id))?.refreshToken).toBe(cred?.refreshToken);
  });

  it("a sealed credential copied to another connection does not open there, and the failure says why", async () => {
    const id = await connected();
    const other = `dotloop:agent-k${uid()}`;
    await putSealed(other, (await sealedOf(id)) ?? "");
    await resetGate(other);
    const r = await profiles(other);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: "credential_unreadable", retryable: false, vendor: "dotloop" });
      expect(r.error.message).toMatch(/another one, or altered/);
    }
    expect((await profiles(id)).ok).toBe(true);
  });

  it("a connection whose key is no longer configured reports the missing key, not not_connected", async () => {
    const id = await connected();
    const keyId = ((await sealedOf(id)) ?? "").split(".")[1] ?? "";
    await useKeys(id, freshKey());
    const r = await profiles(id);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: "credential_unreadable", retryable: false });
      expect(r.error.message).toContain(`key ${keyId}`);
      expect(r.error.message).toContain("TOKEN_ENCRYPTION_KEYS_OLD");
    }
    // Putting the key back (as an old key) restores the connection.
    await useKeys(id, freshKey(), KEY_A);
    expect((await profiles(id)).ok).toBe(true);
  });
});
