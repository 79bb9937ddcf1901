/** The hub's test env under a brokerage configuration made from the example one. */
import { env } from "cloudflare:workers";
import defaults from "../../config/brokerage.json";
import { overriding } from "./env";

type BrokerageDoc = typeof defaults;

/** The test env with the configuration `edit` makes of a copy of config/brokerage.json. */
export function withBrokerage(edit: (doc: BrokerageDoc) => object): Env {
  return overriding(env, { BROKERAGE_CONFIG: JSON.stringify(edit(structuredClone(defaults))) });
}

/** The hub of a brokerage whose TMS is SkySlope, with no accounting connected. */
export const onSkySlope = (): Env => withBrokerage(({ accounting: _none, ...doc }) => ({ ...doc, tms: "skyslope:main" }));
