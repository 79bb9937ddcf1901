/**
 * A simulated data provider for on-demand enrichment (property details, phone verification).
 * Stateless and deterministic: the same input always gets the same answer, so tests can assert it.
 */
import { Hono } from "hono";

async function digest(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s.toLowerCase().trim())));
}

export const enrichment = new Hono<{ Bindings: SandboxEnv }>();

enrichment.get("/enrichment/v1/property", async (c) => {
  const street = c.req.query("street") ?? "";
  const zip = c.req.query("zip") ?? "";
  if (!street || !/^\d{5}$/.test(zip)) return c.json({ error: "street and a 5-digit zip are required" }, 400);
  const d = await digest(`${street}|${zip}`);
  const b = (i: number) => d[i] ?? 0;
  return c.json({
    beds: 2 + (b(0) % 4),
    baths: 1 + (b(1) % 3),
    areaSqft: 900 + b(2) * 12,
    yearBuilt: 1950 + (b(3) % 70),
    source: "sandbox-property",
  });
});

enrichment.get("/enrichment/v1/phone", async (c) => {
  const number = c.req.query("number") ?? "";
  if (!/^\+1\d{10}$/.test(number)) return c.json({ error: "an E.164 US number is required" }, 400);
  const d = await digest(number);
  const types = ["mobile", "landline", "voip"] as const;
  // 555-01xx numbers are reserved for fiction: the provider says they cannot receive calls.
  const valid = !/^\+1\d{3}55501\d{2}$/.test(number);
  return c.json({ valid, lineType: types[(d[0] ?? 0) % 3], source: "sandbox-phone" });
});
