/** Every simulated vendor and emitter, by name. */
import type { VendorDef, VendorName } from "./core/context";
import { dotloop } from "./dotloop";
import { followUpBoss } from "./followupboss";
import { leadEmitter } from "./leads";
import { docusignEmitter } from "./leads/docusign";
import { lionDesk } from "./liondesk";
import { quickBooks } from "./quickbooks";
import { reso } from "./reso";
import { skySlope } from "./skyslope";

export const VENDORS: Record<VendorName, VendorDef> = {
  followupboss: followUpBoss,
  dotloop,
  skyslope: skySlope,
  quickbooks: quickBooks,
  liondesk: lionDesk,
  reso,
  leads: leadEmitter,
  docusign: docusignEmitter,
};
