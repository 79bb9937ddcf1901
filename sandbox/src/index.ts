import { DurableObject } from "cloudflare:workers";

/** Placeholder until the sandbox lands: holds each vendor's state. */
export class VendorState extends DurableObject<SandboxEnv> {}

export default {
  async fetch(): Promise<Response> {
    return new Response("sandbox", { status: 200 });
  },
} satisfies ExportedHandler<SandboxEnv>;
