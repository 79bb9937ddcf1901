import { honoApp } from "../router";
import { api } from "./api";
import { refuseWeakToken, type OpsEnv } from "./auth";
import { dashboard } from "./dashboard";

/**
 * Operating dealwire: the admin API under `/api` and the dashboard at `/`. Mount at `/ops`
 * (`app.route("/ops", ops)`): dashboard links and redirects are absolute under that path.
 */
export const ops = honoApp<OpsEnv>();
ops.use("*", refuseWeakToken);
ops.route("/api", api);
ops.route("/", dashboard);
