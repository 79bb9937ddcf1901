import type { ConnectionConfig } from "../config/brokerage";
import { LionDeskClient } from "../vendors/liondesk/client";
import { connectionFor } from "../vendors/registry";
import { renewNow, Sheet } from "./sheet";
import { credentialsAccepted, tokenRenewed } from "./verdicts";

/** LionDesk, read-only: a token is issued (renewed now) and accepted (GET /me). */
export async function checkLionDesk(env: Env, conn: ConnectionConfig): Promise<Sheet> {
  const sheet = new Sheet(conn.id, "liondesk");
  const connection = connectionFor(env, conn);
  const fix = `Connect LionDesk at /connect/liondesk?connection=${encodeURIComponent(conn.id)}; if that is refused, check ${conn.id}'s clientId and clientSecret (LIONDESK_CLIENT_ID, LIONDESK_CLIENT_SECRET) against the app registered with LionDesk.`;
  const token = sheet.add("token", "Token issued", tokenRenewed(await renewNow(connection), fix));
  if (token.status !== "pass") sheet.skip("Token issued", [["credentials", "Token accepted"]]);
  else sheet.add("credentials", "Token accepted", credentialsAccepted(await new LionDeskClient(connection).ping(), fix));
  return sheet;
}
