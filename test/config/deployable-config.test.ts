import { describe, expect, it } from "vitest";
import toml from "../../wrangler.toml?raw";

/** The top-level keys and the `[vars]` table of wrangler.toml: what `wrangler deploy` ships. */
function section(name: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | null = null;
  for (const line of toml.split("\n")) {
    const header = /^\[+([^\]]+)\]+/.exec(line.trim());
    if (header) {
      current = header[1] ?? null;
      continue;
    }
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(line.trim());
    if (kv?.[1] && kv[2] !== undefined && current === name) out[kv[1]] = kv[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}

describe("the deployable wrangler.toml", () => {
  const vars = section("vars");

  it("names no loopback or sandbox address, so a plain deploy cannot ship the local setup", () => {
    const local = Object.entries(vars).filter(([, v]) => /127\.0\.0\.1|localhost|\[::1\]|:878\d|\/_sandbox/.test(v));
    expect(local).toEqual([]);
  });

  it("points every vendor API at the vendor's published https host", () => {
    const urls = Object.entries(vars).filter(([k]) => /_(BASE_URL|AUTH_URL|TOKEN_URL)$/.test(k) && k !== "ENRICHMENT_BASE_URL");
    expect(urls.length).toBeGreaterThanOrEqual(8);
    for (const [name, url] of urls) expect(new URL(url).protocol, name).toBe("https:");
  });

  it("has no workers.dev route, which would reach /ops and /connect around Cloudflare Access", () => {
    expect(section(null).workers_dev).toBe("false");
    expect(toml.split("\n").filter((l: string) => /^\s*workers_dev\s*=\s*true/.test(l))).toEqual([]);
  });

  it("declares the Access settings an operator fills in for production", () => {
    for (const name of ["OPS_ACCESS_AUD", "OPS_ACCESS_CERTS_URL", "OPS_ACCESS_TEAM_DOMAIN"])
      expect(Object.keys(vars), name).toContain(name);
  });

  it("uploads source maps so minified stack traces in Workers Logs are readable", () => {
    expect(section(null).upload_source_maps).toBe("true");
  });
});
