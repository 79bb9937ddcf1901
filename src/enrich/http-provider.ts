import type * as z from "../lib/zod";
import { ok, permanent, type Result } from "../lib/result";
import { classifyStatus, networkFailure } from "../vendors/shared/classify";
import { PhoneFacts, PropertyFacts, type EnrichmentProvider } from "./provider";

async function getJson<T>(url: string, schema: z.ZodMiniType<T>): Promise<Result<T | null>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(5_000) });
  } catch (err) {
    return { ok: false, error: networkFailure("enrichment", err) };
  }
  if (res.status === 404) return ok(null);
  if (!res.ok) return { ok: false, error: classifyStatus("enrichment", res.status, await res.text()) };
  const parsed = schema.safeParse(await res.json().catch(() => null));
  return parsed.success ? ok(parsed.data) : permanent("enrichment_unexpected_response", parsed.error.issues[0]?.message ?? "invalid");
}

/** An enrichment provider reached over HTTP at a base URL (the sandbox's in development). */
export function httpEnrichmentProvider(baseUrl: string): EnrichmentProvider {
  const base = baseUrl.replace(/\/$/, "");
  return {
    property: (a) => getJson(`${base}/v1/property?street=${encodeURIComponent(a.street)}&zip=${encodeURIComponent(a.zip)}`, PropertyFacts),
    async phone(e164) {
      const r = await getJson(`${base}/v1/phone?number=${encodeURIComponent(e164)}`, PhoneFacts);
      if (!r.ok) return r;
      return r.value ? ok(r.value) : permanent("enrichment_not_found", "no phone facts");
    },
  };
}
