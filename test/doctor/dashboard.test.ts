import { describe, expect, it } from "vitest";
import { setSettings } from "../helpers/sandbox";
import { hub, ORIGIN } from "../ops/helpers";
import { goLive } from "./stack";

async function page(appEnv: Env, path: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const login = await hub.request(
    `${ORIGIN}/ops/login`,
    {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: appEnv.OPS_TOKEN }),
    },
    appEnv,
  );
  const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  const res = await hub.request(`${ORIGIN}/ops${path}`, { headers: { cookie, ...headers } }, appEnv);
  return { status: res.status, html: await res.text() };
}

describe("the doctor page of the dashboard", () => {
  it("lists the failed check first with its fix, in the dashboard's shell and without script", async () => {
    const { env, ids } = await goLive("fub-dotloop-qbo");
    await setSettings("followupboss", { broken: ["mappedStage"] });
    const p = await page(env, "/doctor");
    expect(p.status).toBe(200);
    expect(p.html).toContain('<a href="/ops/doctor" aria-current="page">Doctor</a>');
    expect(p.html).toMatch(/1 of \d+ checks failed/);
    const first = /<tbody><tr>(.*?)<\/tr>/.exec(p.html)?.[1] ?? "";
    expect(first).toContain(ids.followupboss);
    expect(first).toContain("followupboss.mapped_stages");
    expect(first).toContain('class="bad">failed');
    expect(first).toContain("Add or rename deal stages &#39;Active Client&#39;");
    expect(p.html).not.toContain("<script");
  });

  it("says every check passed on accounts set up as the flows assume", async () => {
    const { env } = await goLive("liondesk-skyslope");
    const p = await page(env, "/doctor");
    expect(p.html).toMatch(/All 5 checks passed\./);
    expect(p.html).not.toContain('class="bad"');
  });

  it("followed from another site, asks before running: the checks renew every vendor credential", async () => {
    const { env } = await goLive("liondesk-skyslope");
    const p = await page(env, "/doctor", { "sec-fetch-site": "cross-site" });
    expect(p.status).toBe(200);
    expect(p.html).not.toMatch(/checks passed|checks failed/);
    expect(p.html).toContain('<a href="/ops/doctor">Run the checks</a>');
  });
});
