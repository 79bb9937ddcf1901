import { describe, expect, it } from "vitest";
import defaults from "../../config/brokerage.json";
import { parseConfig } from "../../src/config/load";

const mls = (conn: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const doc = structuredClone(defaults) as unknown as { connections: unknown[]; mls?: string };
  doc.connections.push({
    id: "reso:main",
    vendor: "reso",
    baseUrl: "https://api.mls.example/odata",
    limits: { windows: [{ limit: 2, windowMs: 1000 }] },
    ...conn,
  });
  return { ...doc, mls: "reso:main", ...extra };
};
const env = {
  FOLLOWUPBOSS_BASE_URL: "https://a.example",
  DOTLOOP_API_BASE_URL: "https://a.example",
  DOTLOOP_AUTH_BASE_URL: "https://a.example",
  SKYSLOPE_BASE_URL: "https://a.example",
  QUICKBOOKS_API_BASE_URL: "https://a.example",
  QUICKBOOKS_AUTH_URL: "https://a.example",
  QUICKBOOKS_TOKEN_URL: "https://a.example",
  LIONDESK_BASE_URL: "https://a.example",
};
const fill = new Proxy(env as Record<string, unknown>, { get: (t, k: string) => t[k] ?? `x-${k}` });

describe("an MLS (reso) connection in the brokerage configuration", () => {
  it("accepts a bearer token, or client credentials with the token URL", () => {
    expect(parseConfig(mls({ credentials: { bearerToken: "t" } }), fill).ok).toBe(true);
    const cc = parseConfig(
      mls({
        credentials: { clientId: "a", clientSecret: "b" },
        tokenUrl: "https://api.mls.example/token",
        reso: { filter: "CountyOrParish eq 'Travis'", notifyInquirers: true },
      }),
      fill,
    );
    expect(cc.ok && cc.config.connections.find((c) => c.id === "reso:main")?.reso).toMatchObject({
      resources: ["Property"],
      pageSize: 1000,
      notifyInquirers: true,
    });
  });

  it("fails at start naming the field: no credentials, client credentials without a token URL, a page size past 5000", () => {
    const errors = (doc: unknown) => {
      const r = parseConfig(doc, fill);
      return r.ok ? [] : r.errors.map((e) => e.path);
    };
    expect(errors(mls({}))).toEqual(["connections.5.credentials"]);
    expect(errors(mls({ credentials: { clientId: "a", clientSecret: "b" } }))).toEqual(["connections.5.tokenUrl"]);
    expect(errors(mls({ credentials: { bearerToken: "t" }, reso: { pageSize: 10_000 } }))).toEqual(["connections.5.reso.pageSize"]);
  });

  it("refuses an mls entry that names a connection of another kind", () => {
    const r = parseConfig(mls({ credentials: { bearerToken: "t" } }, { mls: "followupboss:main" }), fill);
    expect(r.ok ? [] : r.errors).toEqual([{ path: "mls", message: "'followupboss:main' is a followupboss connection, not a mls" }]);
  });
});
