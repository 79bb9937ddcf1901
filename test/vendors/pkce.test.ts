import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DotloopClient } from "../../src/vendors/dotloop/client";
import { connectFlow, envWith, hub, kind, open, opsAuth, uid } from "./support";

interface SandboxCode {
  code: string;
  codeChallenge?: string | null;
}

/** A copy of `from` under a new id with the connect flow's PKCE set as given (or left to the vendor default). */
function withPkce(from: string, id: string, pkce?: boolean): Env {
  return envWith([{ from, id, ...(pkce === undefined ? {} : { patch: { pkce } }) }]);
}

const dotloopToken = (body: Record<string, string>) =>
  fetch(`${env.DOTLOOP_AUTH_BASE_URL}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${env.DOTLOOP_CLIENT_ID}:${env.DOTLOOP_CLIENT_SECRET}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(body).toString(),
  });

describe("PKCE in the OAuth connect flows", () => {
  it("with PKCE on, Dotloop's authorization carries an S256 challenge and the hub proves it with the verifier", async () => {
    const id = `dotloop:pk${uid()}`;
    const appEnv = withPkce("dotloop:main", id, true);
    const flow = await connectFlow("dotloop", id, appEnv);
    const authorize = new URL(flow.start.headers.get("location") ?? "");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const challenge = authorize.searchParams.get("code_challenge") ?? "";
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const code = flow.callbackUrl.searchParams.get("code");
    expect((await kind<SandboxCode>("dotloop", "code")).find((c) => c.code === code)?.codeChallenge).toBe(challenge);
    expect(flow.done.status).toBe(200);
    expect((await new DotloopClient(open(id, {}, appEnv)).getProfiles()).ok).toBe(true);
  });

  it("a code issued with a challenge is refused without the verifier or with a wrong one, and the hub's callback still redeems it", async () => {
    const id = `dotloop:pk${uid()}`;
    const appEnv = withPkce("dotloop:main", id, true);
    const app = hub();
    const start = await app.request(`/connect/dotloop?connection=${id}`, { headers: opsAuth() }, appEnv);
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const consent = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
    const back = new URL(consent.headers.get("location") ?? "");
    const code = back.searchParams.get("code") ?? "";
    const grant = { grant_type: "authorization_code", code, redirect_uri: `${env.HUB_PUBLIC_URL}/connect/dotloop/callback` };

    const dropped = await dotloopToken(grant);
    expect(dropped.status).toBe(400);
    expect(await dropped.json()).toMatchObject({ error: "invalid_grant" });
    const wrong = await dotloopToken({ ...grant, code_verifier: "x".repeat(43) });
    expect(wrong.status).toBe(400);

    const done = await app.request(`${back.pathname}${back.search}`, { headers: { cookie, accept: "application/json" } }, appEnv);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ status: "connected", vendor: "dotloop", connection: id });
  });

  it("with PKCE on, QuickBooks connects with an S256 challenge and keeps the company", async () => {
    const id = `quickbooks:pk${uid()}`;
    const flow = await connectFlow("quickbooks", id, withPkce("quickbooks:main", id, true));
    const authorize = new URL(flow.start.headers.get("location") ?? "");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(flow.done.status).toBe(200);
    expect(await flow.done.json()).toMatchObject({ status: "connected", realmId: env.QUICKBOOKS_REALM_ID });
  });

  it("left unset, a connection follows what the vendor publishes: no PKCE for Dotloop or QuickBooks", async () => {
    for (const [vendor, from] of [
      ["dotloop", "dotloop:main"],
      ["quickbooks", "quickbooks:main"],
    ] as const) {
      const id = `${vendor}:pd${uid()}`;
      const flow = await connectFlow(vendor, id, withPkce(from, id));
      const authorize = new URL(flow.start.headers.get("location") ?? "");
      expect(authorize.searchParams.has("code_challenge")).toBe(false);
      expect(flow.done.status).toBe(200);
    }
  });
});
