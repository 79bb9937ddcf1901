import type { ConnectionConfig } from "../config/brokerage";
import { SkySlopeClient } from "../vendors/skyslope/client";
import { connectionFor } from "../vendors/registry";
import { renewNow, Sheet } from "./sheet";
import { agentsMap, failed, officesUsable, said, tokenRenewed } from "./verdicts";

/**
 * SkySlope, read-only: a fresh login, the offices sales are filed in (each with a Sale checklist
 * type unless one is configured), and the agents sales are filed under.
 */
export async function checkSkySlope(env: Env, conn: ConnectionConfig): Promise<Sheet> {
  const sheet = new Sheet(conn.id, "skyslope");
  const connection = connectionFor(env, conn);
  const client = new SkySlopeClient(connection);
  const loginFix = `Check ${conn.id}'s clientId and clientSecret (the partner pair SkySlope issued for the integration) and accessKey and accessSecret (the user's API key pair, SkySlope → Integrations), and that the machine's clock is right (the login is signed with the time).`;
  const login = sheet.add("login", "Login works", tokenRenewed(await renewNow(connection), loginFix));
  if (login.status !== "pass") {
    sheet.skip("Login works", [
      ["offices", "Offices have a Sale checklist"],
      ["agents", "Agents map to SkySlope users"],
    ]);
    return sheet;
  }

  const officeFix =
    "Give the access key's user access to the brokerage's offices in SkySlope, and a Sale checklist type in each, or set credentials.checklistTypeId to the checklist type sales should use.";
  const offices = await client.listOffices();
  if (!offices.ok) sheet.add("offices", "Offices have a Sale checklist", failed(said(offices.error), officeFix));
  else {
    const configured = Number(conn.credentials.checklistTypeId) > 0;
    const counts = new Map<string, number>();
    if (!configured) {
      for (const o of offices.value) {
        const types = await client.listChecklistTypes(o.officeGuid, "Sale");
        counts.set(o.officeGuid, types.ok ? types.value.length : 0);
      }
    }
    sheet.add("offices", "Offices have a Sale checklist", officesUsable(offices.value, counts, configured, officeFix));
  }

  const email = conn.agent?.email;
  const agentFix = email
    ? `Add ${email} as a SkySlope user, or set agent.email of ${conn.id} to the email of the SkySlope user sales should be filed under.`
    : "Use the access key of a broker or admin user who sees the brokerage's agents in SkySlope: sales are filed under the user whose email matches the deal's agent.";
  const users = await client.listUsers();
  sheet.add(
    "agents",
    "Agents map to SkySlope users",
    users.ok ? agentsMap(users.value, email, agentFix) : failed(said(users.error), agentFix),
  );
  return sheet;
}
