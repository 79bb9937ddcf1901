import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { reset, sb, sendJson } from "./helpers";

const REDIRECT = "https://hub.test/connect/liondesk/callback";

/** The authorization-code grant, as LionDesk documents it: authorize (302 with a code), then trade the code. */
async function token(): Promise<{ access_token: string; refresh_token: string; expires_in: number; expires: string; token_type: string }> {
  const authorize = await sb(
    `/liondesk/oauth2/authorize?response_type=code&client_id=${env.LIONDESK_CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s1`,
    { redirect: "manual" },
  );
  expect(authorize.status).toBe(302);
  const back = new URL(authorize.headers.get("location") ?? "");
  expect(back.searchParams.get("state")).toBe("s1");
  const code = back.searchParams.get("code") ?? "";
  const res = await sendJson("/liondesk/oauth2/token", {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    client_id: env.LIONDESK_CLIENT_ID,
    client_secret: env.LIONDESK_CLIENT_SECRET,
  });
  expect(res.status).toBe(200);
  // A code is good once.
  expect(
    (
      await sendJson("/liondesk/oauth2/token", {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        client_id: env.LIONDESK_CLIENT_ID,
        client_secret: env.LIONDESK_CLIENT_SECRET,
      })
    ).status,
  ).toBe(400);
  return res.json();
}

const ld = (t: string, path: string, body?: unknown, method?: string) =>
  sb(`/liondesk${path}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeEach(() => reset());

describe("LionDesk", () => {
  it("issues tokens for an authorization code (never for client credentials); /me validates them", async () => {
    expect(
      (
        await sendJson("/liondesk/oauth2/token", {
          grant_type: "authorization_code",
          code: "x",
          client_id: env.LIONDESK_CLIENT_ID,
          client_secret: "x",
        })
      ).status,
    ).toBe(401);
    const cc = await sendJson("/liondesk/oauth2/token", {
      grant_type: "client_credentials",
      client_id: env.LIONDESK_CLIENT_ID,
      client_secret: env.LIONDESK_CLIENT_SECRET,
    });
    expect(cc.status).toBe(400);
    expect(await cc.json()).toMatchObject({ error: "unsupported_grant_type" });
    const t = await token();
    expect(t.token_type).toBe("Bearer");
    expect(Date.parse(t.expires)).toBeGreaterThan(Date.now() + (t.expires_in - 60) * 1000);
    expect((await ld(t.access_token, "/me")).status).toBe(200);
    const me = await ld("bogus", "/me");
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ name: "NotAuthenticated", code: 401 });
    const refreshed = await sendJson("/liondesk/oauth2/token", {
      grant_type: "refresh_token",
      refresh_token: t.refresh_token,
      client_id: env.LIONDESK_CLIENT_ID,
      client_secret: env.LIONDESK_CLIENT_SECRET,
    });
    expect(refreshed.status).toBe(200);
    expect((await ld(t.access_token, "/me")).status).toBe(401);
  });

  it("creates contacts, finds them by email, patches them, and records leads and notes", async () => {
    const { access_token: t } = await token();
    const sources = await (await ld(t, "/contact-sources")).json<{ data: Array<{ id: number; name: string }> }>();
    const zillow = sources.data.find((s) => s.name === "Zillow");
    const created = await ld(t, "/contacts", {
      first_name: "Ana",
      last_name: "Ruiz",
      email: "Ana@Example.com",
      mobile_phone: "5125550142",
      source_id: zillow?.id,
      tags: "buyer",
    });
    expect(created.status).toBe(201);
    const contact = await created.json<{ id: number }>();
    const found = await (await ld(t, "/contacts?email=ana@example.com")).json<{ total: number; data: Array<{ id: number }> }>();
    expect(found.total).toBe(1);
    expect(found.data[0]?.id).toBe(contact.id);
    const none = await (await ld(t, "/contacts?email=nobody@example.com")).json<{ total: number }>();
    expect(none.total).toBe(0);
    const patched = await ld(t, `/contacts/${contact.id}`, { last_name: "Ruiz-Lopez" }, "PATCH");
    expect(await patched.json()).toMatchObject({ first_name: "Ana", last_name: "Ruiz-Lopez" });
    expect((await ld(t, "/leads", { contact_id: contact.id, source_id: zillow?.id, text_body: "Interested in 12 Oak Ln" })).status).toBe(
      201,
    );
    expect((await ld(t, "/leads", { contact_id: 1 })).status).toBe(400);
    expect((await ld(t, `/contacts/${contact.id}/notes`, { content: "Called back" })).status).toBe(201);
    expect((await ld(t, "/contacts/999999")).status).toBe(404);
  });
});
