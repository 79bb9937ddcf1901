/**
 * The vendor sandbox Worker: simulated Follow Up Boss, Dotloop, SkySlope, QuickBooks Online and
 * LionDesk APIs under their own prefixes, lead-source and DocuSign emitters, a Cloudflare Access
 * team (signing keys and JWTs), and the
 * `/_sandbox` control API. Each vendor's state lives in its own `VendorState` object.
 */
import { Hono } from "hono";
import { access } from "./access";
import { chat } from "./chat";
import { control } from "./control/routes";
import { enrichment } from "./enrichment";
import { forward } from "./forward";
import { isVendorName } from "./core/context";

export { VendorState } from "./state/vendor-state";

const app = new Hono<{ Bindings: SandboxEnv }>();

app.route("/", access);
app.route("/", control);
app.route("/", enrichment);
app.route("/", chat);

app.all("/:vendor/*", (c) => {
  const vendor = c.req.param("vendor");
  if (!isVendorName(vendor) || vendor === "leads" || vendor === "docusign") {
    return c.json({ error: "not_found", path: new URL(c.req.url).pathname }, 404);
  }
  return forward(c.env, vendor, c.req.raw);
});

app.notFound((c) => c.json({ error: "not_found", path: new URL(c.req.url).pathname }, 404));

export default app satisfies ExportedHandler<SandboxEnv>;
