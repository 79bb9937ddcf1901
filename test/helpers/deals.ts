/**
 * A deal taken to the point the TMS flow tests start from: a lead in the CRM, the agent's deal
 * under contract, the hub's Dotloop loop created and its id written back to the CRM deal.
 */
import { env } from "cloudflare:workers";
import { eventually, post, signedDelivery } from "./deliveries";
import { connect, fub, stagesOf } from "./people";
import { deliverOutbox, records, resetSandbox } from "./sandbox";

interface Pipeline {
  id: number;
  name: string;
  stages: Array<{ id: number; name: string }>;
}

export interface DealUnderContract {
  /** The golden deal's id. */
  dealId: string;
  fubDealId: number;
  loop: { id: number; profileId: number };
  /** Follow Up Boss stage ids of the buyers' pipeline, by name. */
  stage: (name: string) => number | undefined;
}

export async function dealUnderContract(
  lead: { firstName: string; lastName: string; email: string; phone: string },
  dealName: string,
  price: number,
): Promise<DealUnderContract> {
  await resetSandbox();
  await connect("dotloop");
  await connect("quickbooks");
  await post(
    await signedDelivery("idx", { type: "lead.created", timestamp: new Date().toISOString(), data: { ...lead, message: "Call me" } }),
  );
  const person = await eventually(() =>
    env.DB.prepare(
      "SELECT l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
    )
      .bind(lead.email)
      .first<{ external_id: string }>(),
  );
  await deliverOutbox();
  const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
  const buyers = pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0];
  const stage = (name: string) => buyers?.stages.find((s) => s.name === name)?.id;
  const deal = await fub<{ id: number }>("POST", "/v1/deals", {
    name: dealName,
    stageId: stage("Under Contract"),
    peopleIds: [Number(person.external_id)],
    price,
  });
  await deliverOutbox();
  const dealId = await eventually(async () => {
    const row = await env.DB.prepare("SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'deal' AND external_id = ?1")
      .bind(String(deal.id))
      .first<{ canonical_id: string }>();
    return row && (await stagesOf(row.canonical_id)).includes("TMS_ID_WRITTEN") ? row.canonical_id : null;
  }, 15_000);
  const loop = ((await records<{ loop?: Array<{ id: number; profileId: number }> }>("dotloop")).loop ?? [])[0];
  if (!loop) throw new Error("the hub created no loop");
  await deliverOutbox({ times: 2 });
  return { dealId, fubDealId: deal.id, loop, stage };
}
