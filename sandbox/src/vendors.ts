/** Every simulated vendor and emitter, by name. */
import type { VendorDef, VendorName } from "./core/context";
import { dotloop } from "./dotloop";
import { followUpBoss } from "./followupboss";
import { docusignEmitter } from "./leads/docusign";
import { leadEmitter } from "./leads";
import { quickBooks } from "./quickbooks";
import { skySlope } from "./skyslope";
import { Hono } from "hono";
import type { VendorEnv } from "./core/context";

function pending(name: VendorName): VendorDef {
  return {
    name,
    app: new Hono<VendorEnv>().all("*", (c) => c.json({ error: "not_implemented" }, 501)),
    contextOf: () => "default",
    errorBody: (_s, message) => ({ body: { error: message } }),
    seed: () => undefined,
  };
}

export const VENDORS: Record<VendorName, VendorDef> = {
  followupboss: followUpBoss,
  dotloop,
  skyslope: skySlope,
  quickbooks: quickBooks,
  liondesk: pending("liondesk"),
  leads: leadEmitter,
  docusign: docusignEmitter,
};
