/** The simulated Follow Up Boss API under `/followupboss/v1/...`. */
import { Hono } from "hono";
import type { VendorDef, VendorEnv } from "../core/context";
import { json } from "../lib/http";
import { seedAccount } from "./data";
import { dealRoutes } from "./deals";
import { eventRoutes } from "./events";
import { fubContext, fubGuard } from "./guard";
import { disableWebhook, webhookRoutes } from "./hooks";
import { miscRoutes } from "./misc";
import { peopleRoutes } from "./people";

const api = new Hono<VendorEnv>();
api.use("*", fubGuard);
api.route("/", eventRoutes);
api.route("/", peopleRoutes);
api.route("/", dealRoutes);
api.route("/", miscRoutes);
api.route("/", webhookRoutes);
const app = new Hono<VendorEnv>().route("/followupboss", api);
app.notFound(() => json({ errorMessage: "Not found." }, 404));
app.onError(() => json({ errorMessage: "Internal server error." }, 500));

export const followUpBoss: VendorDef = {
  name: "followupboss",
  app,
  contextOf: fubContext,
  errorBody: (_status, message) => ({ body: { errorMessage: message } }),
  retryAfterSeconds: 10,
  seed: (vs) => seedAccount(vs.store),
  onGone: disableWebhook,
};
