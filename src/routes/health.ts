import { pingDatabase } from "../store/health-checks";
import { subApp } from "./app";

async function probe(fn: () => Promise<unknown>): Promise<"ok" | "error"> {
  try {
    await fn();
    return "ok";
  } catch {
    return "error";
  }
}

/** `GET /health`: version and whether each binding answers. Cheap enough for an uptime checker. */
export const health = subApp().get("/", async (c) => {
  const [d1, kv] = await Promise.all([probe(() => pingDatabase(c.env.DB)), probe(() => c.env.IDEMPOTENCY.get("health:probe"))]);
  const bindings = {
    d1,
    kv,
    queues: typeof c.env.INBOUND?.send === "function" ? "ok" : "error",
    durableObjects: typeof c.env.VENDOR_GATE?.idFromName === "function" ? "ok" : "error",
  } as const;
  const ok = Object.values(bindings).every((v) => v === "ok");
  return c.json({ status: ok ? "ok" : "degraded", version: c.env.HUB_VERSION, bindings }, ok ? 200 : 503);
});
