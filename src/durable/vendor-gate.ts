import { DurableObject } from "cloudflare:workers";

/** One object per vendor connection: rate-limit budget and OAuth token cache. */
export class VendorGate extends DurableObject<Env> {}
