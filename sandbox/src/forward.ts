import type { VendorName } from "./core/context";

/**
 * Hands an API request to the vendor's Durable Object. The body is buffered first, so a vendor
 * that answers without reading it (a 401, a replayed requestid) leaves no stream half-read.
 */
export async function forward(env: SandboxEnv, vendor: VendorName, req: Request): Promise<Response> {
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
  const buffered = new Request(req.url, { method: req.method, headers: req.headers, body, redirect: "manual" });
  const res: Response = await env.VENDOR_STATE.getByName(vendor).handle(vendor, buffered);
  return res;
}
