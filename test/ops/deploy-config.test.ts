/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import toml from "../../wrangler.toml?raw";

/** The deployable configuration, as `wrangler deploy` reads it. */
const lines = toml.split("\n").map((l: string) => l.replace(/#.*$/, "").trim());

/** Top-level `key = value` pairs: the lines before the first [table]. */
function topLevel(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines) {
    if (l.startsWith("[")) break;
    const m = /^([A-Za-z_]+)\s*=\s*(.+)$/.exec(l);
    if (m?.[1] && m[2]) out[m[1]] = m[2];
  }
  return out;
}

describe("the deployable wrangler.toml", () => {
  it("has no workers.dev route, which would reach /ops and /connect around Cloudflare Access", () => {
    expect(topLevel().workers_dev).toBe("false");
    // No environment turns it back on.
    expect(lines.filter((l) => /^workers_dev\s*=\s*true/.test(l))).toEqual([]);
  });

  it("declares the Access settings an operator fills in for production", () => {
    for (const name of ["OPS_ACCESS_AUD", "OPS_ACCESS_CERTS_URL", "OPS_ACCESS_TEAM_DOMAIN"]) expect(lines.some((l) => l.startsWith(`${name} =`)), name).toBe(true);
  });
});
