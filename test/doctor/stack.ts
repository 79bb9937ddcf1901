/** A brokerage for the doctor's tests: fresh connection ids (gates of their own), connected and synced. */
import { env } from "cloudflare:workers";
import defaults from "../../config/brokerage.json";
import { syncWebhooks } from "../../src/ops/webhooks";
import { hubUrlOf } from "../../src/routes/hub-url";
import { resetSandbox } from "../helpers/sandbox";
import { connectFlow, uid } from "../vendors/support";
import { overriding } from "../helpers/env";

/** The hub's URL as its routes see it (HUB_PUBLIC_URL when set), which webhooks must point at. */
export const HUB = hubUrlOf(env, "http://hub.test");

export type Shape = "fub-dotloop-qbo" | "liondesk-skyslope";

/**
 * The env of a brokerage whose connections have ids no other test used: Follow Up Boss, Dotloop
 * and QuickBooks (the default config), or LionDesk and SkySlope. `docusign: false` leaves the
 * DocuSign secret out (DocuSign not in use), so one test's DocuSign deliveries do not reach
 * another's report; `without` drops other vars; `agent` adds a Dotloop grant of an agent's own.
 */
export function brokerageEnv(
  shape: Shape,
  opts: { docusign?: boolean; without?: string[]; agent?: boolean } = {},
): { env: Env; ids: Record<string, string> } {
  const doc = structuredClone(defaults) as {
    connections: Array<{ id: string; vendor: string }>;
    crm: string;
    tms?: string;
    accounting?: string;
  };
  const suffix = uid();
  const ids: Record<string, string> = {};
  for (const c of doc.connections) {
    ids[c.vendor] = `${c.vendor}:doc-${suffix}`;
    c.id = ids[c.vendor] ?? c.id;
  }
  if (opts.agent) {
    ids.agent = `dotloop:agent-doc-${suffix}`;
    doc.connections.push({
      ...structuredClone(doc.connections.find((c) => c.vendor === "dotloop") ?? { vendor: "dotloop" }),
      id: ids.agent,
    });
  }
  if (shape === "fub-dotloop-qbo") Object.assign(doc, { crm: ids.followupboss, tms: ids.dotloop, accounting: ids.quickbooks });
  else {
    Object.assign(doc, { crm: ids.liondesk, tms: ids.skyslope });
    delete doc.accounting;
  }
  const vars: Record<string, unknown> = { BROKERAGE_CONFIG: JSON.stringify(doc) };
  for (const name of [...(opts.docusign ? [] : ["WEBHOOK_SECRET_DOCUSIGN"]), ...(opts.without ?? [])]) vars[name] = "";
  return { env: overriding(env, vars), ids };
}

/** The go-live steps an operator takes before the doctor: a fresh sandbox, OAuth grants, webhook registration. */
export async function goLive(
  shape: Shape,
  opts: Parameters<typeof brokerageEnv>[1] = {},
): Promise<{ env: Env; ids: Record<string, string> }> {
  await resetSandbox();
  const b = brokerageEnv(shape, opts);
  if (shape === "fub-dotloop-qbo") {
    for (const [vendor, id] of [
      ["dotloop", b.ids.dotloop],
      ["quickbooks", b.ids.quickbooks],
      ...(b.ids.agent ? [["dotloop", b.ids.agent]] : []),
    ]) {
      const flow = await connectFlow(vendor ?? "", id ?? "", b.env);
      if (flow.done.status >= 400) throw new Error(`connect ${vendor}: ${flow.done.status} ${await flow.done.text()}`);
    }
    const sync = await syncWebhooks(b.env, HUB);
    const failed = sync.vendors.filter((v) => v.error || v.actions.some((a) => a.error));
    if (failed.length > 0) throw new Error(`webhook sync: ${JSON.stringify(failed)}`);
  } else {
    // LionDesk grants through the OAuth connect flow, as Dotloop and QuickBooks do.
    const flow = await connectFlow("liondesk", b.ids.liondesk ?? "", b.env);
    if (flow.done.status >= 400) throw new Error(`connect liondesk: ${flow.done.status} ${await flow.done.text()}`);
  }
  return b;
}
