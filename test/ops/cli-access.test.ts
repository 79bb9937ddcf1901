import { describe, expect, it } from "vitest";
import { runCli, type Io } from "../../scripts/cli/run";

/** An Io whose fetch answers as Cloudflare Access does to a request without a valid service token. */
function behindAccess(env: Io["env"]) {
  const sent: Array<{ headers: Headers; redirect: RequestInit["redirect"] }> = [];
  const err: string[] = [];
  const io: Io = {
    fetch: async (_url, init) => {
      sent.push({ headers: new Headers(init?.headers), redirect: init?.redirect });
      return new Response(null, {
        status: 302,
        headers: { location: "https://team.cloudflareaccess.com/cdn-cgi/access/login/hub.example" },
      });
    },
    out: () => {},
    err: (l) => err.push(l),
    env: { DEALWIRE_URL: "https://hub.example", ...env },
  };
  return { io, sent, err };
}

describe("the CLI against a hub behind Cloudflare Access", () => {
  it("sends the Access service token it is given, without needing the ops token", async () => {
    const { io, sent } = behindAccess({ DEALWIRE_ACCESS_CLIENT_ID: "abc.access", DEALWIRE_ACCESS_CLIENT_SECRET: "s3cret-value" });
    await runCli(["status"], io);
    expect(sent[0]?.headers.get("cf-access-client-id")).toBe("abc.access");
    expect(sent[0]?.headers.get("cf-access-client-secret")).toBe("s3cret-value");
    expect(sent[0]?.headers.get("authorization")).toBeNull();
  });

  it("says Access turned it away, rather than following the sign-in page", async () => {
    const { io, sent, err } = behindAccess({ DEALWIRE_OPS_TOKEN: "x".repeat(43) });
    expect(await runCli(["status"], io)).toBe(1);
    expect(sent[0]?.redirect).toBe("manual");
    expect(err.join("\n")).toMatch(/redirected to https:\/\/team\.cloudflareaccess\.com\/.*DEALWIRE_ACCESS_CLIENT_ID/s);
  });
});
