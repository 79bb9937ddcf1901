import type { ConnectionConfig } from "../config/brokerage";
import { watchedRuns } from "../mls/watched-runs";
import { RUN_KEYS, RUN_LISTINGS } from "../queues/messages";
import { ResoClient } from "../vendors/reso/client";
import { connectionFor } from "../vendors/registry";
import { renewNow, Sheet } from "./sheet";
import { credentialsAccepted, replicationCurrent, serverReachable, skipped, tokenRenewed } from "./verdicts";

const REACH_TIMEOUT_MS = 10_000;

/** One unauthenticated GET of `$metadata`: whether anything answers at the base URL at all. */
async function reach(url: string): Promise<{ status: number } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(REACH_TIMEOUT_MS) });
    await res.body?.cancel();
    return { status: res.status };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The MLS (RESO Web API), read-only: the server answers at its base URL, a client-credentials
 * token is issued (renewed now; a static bearer token has nothing to renew), the credential is
 * accepted (`$top=1` on Property), and the replication is current (from the hub's own state).
 */
export async function checkReso(env: Env, conn: ConnectionConfig, now = Date.now()): Promise<Sheet> {
  const sheet = new Sheet(conn.id, "reso");
  const base = conn.baseUrl.replace(/\/$/, "");
  const reachable = sheet.add(
    "reachable",
    "MLS answers",
    serverReachable(
      `${base}/$metadata`,
      await reach(`${base}/$metadata`),
      `Check ${conn.id}'s baseUrl (the Web API root the MLS published, ending in /odata or similar) and the MLS's status page.`,
    ),
  );
  const credFix = `Check ${conn.id}'s credentials with the MLS: clientId and clientSecret (RESO_CLIENT_ID, RESO_CLIENT_SECRET) with tokenUrl, or the bearerToken it issued (RESO_BEARER_TOKEN).`;
  if (reachable.status !== "pass")
    sheet.skip("MLS answers", [
      ["token", "Token issued"],
      ["credentials", "Credentials accepted"],
    ]);
  else {
    const connection = connectionFor(env, conn);
    const token = conn.credentials.bearerToken
      ? sheet.add("token", "Token issued", skipped("a static bearer token: nothing to renew"))
      : sheet.add("token", "Token issued", tokenRenewed(await renewNow(connection), credFix));
    if (token.status === "fail") sheet.skip("Token issued", [["credentials", "Credentials accepted"]]);
    else sheet.add("credentials", "Credentials accepted", credentialsAccepted(await new ResoClient(connection).ping(), credFix));
  }
  // The listings, each roster (Member, Office) and the keys-only pass once started, each on a row of its own.
  for (const { run, lag } of await watchedRuns(env.DB, conn, now)) {
    const [id, name] =
      run === RUN_LISTINGS
        ? ["replication", "Replication current"]
        : run === RUN_KEYS
          ? ["replication.keys", "Keys pass current"]
          : [`replication.${run.toLowerCase()}`, `${run} replication current`];
    sheet.add(
      id,
      name,
      replicationCurrent(
        lag,
        "Open the dashboard's Listings page for the run's error; the cron (every 5 minutes) starts and resumes replication, so check that its trigger is deployed.",
      ),
    );
  }
  return sheet;
}
