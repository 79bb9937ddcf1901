import type { AgentPayout, Deal } from "../canonical";

export type CommissionPlan = { ok: true; grossCents: number; payouts: AgentPayout[] } | { ok: false; reason: string };

/**
 * Flow 4: the figures a closed transaction bills. Gross commission is stated, or the rate times
 * the price; each agent split is an amount or a percent of the gross.
 */
export function commissionPlan(deal: Deal): CommissionPlan {
  const c = deal.commission;
  let gross = c?.grossCents;
  if (gross === undefined && c?.ratePercent !== undefined && deal.purchasePrice !== undefined) {
    gross = Math.round((deal.purchasePrice * c.ratePercent) / 100);
  }
  if (gross === undefined || gross <= 0)
    return { ok: false, reason: "the transaction states no gross commission (nor a rate and a price)" };
  // One payout per agent: an agent on two splits (both sides of a deal) is paid their sum in one
  // bill, which is found again by the agent's name.
  const payouts = new Map<string, number>();
  for (const s of c?.splits ?? []) {
    const amount = s.amountCents ?? (s.percent !== undefined ? Math.round((gross * s.percent) / 100) : undefined);
    const name = s.agent.name ?? s.agent.email;
    if (amount && amount > 0 && name) payouts.set(name, (payouts.get(name) ?? 0) + amount);
  }
  return {
    ok: true,
    grossCents: gross,
    payouts: [...payouts].map(([agentName, amountCents]): AgentPayout => ({ agentName, amountCents })),
  };
}
