/**
 * The hub as `wrangler dev` runs it for the browser test: src/index.ts, with the ops sub-app in
 * front of it until src/index.ts mounts `/ops` itself (scripts/browser-test.mjs then uses
 * src/index.ts directly).
 */
import hub from "../../src/index";
import { createApp } from "../../src/routes/app";
import { ops } from "../../src/routes/ops";

export { VendorGate } from "../../src/index";

const app = createApp();
app.route("/ops", ops);

export default {
  ...hub,
  fetch(req, env, ctx) {
    return new URL(req.url).pathname.startsWith("/ops") ? app.fetch(req, env, ctx) : hub.fetch(req, env, ctx);
  },
} satisfies ExportedHandler<Env, unknown>;
