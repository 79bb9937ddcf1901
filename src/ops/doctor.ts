import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import { monitoredConnections } from "../config/connections";
import { checkDocuSign } from "../doctor/docusign";
import { checkDotloop } from "../doctor/dotloop";
import { checkFollowUpBoss } from "../doctor/followupboss";
import { checkLionDesk } from "../doctor/liondesk";
import { checkQuickBooks } from "../doctor/quickbooks";
import { checkReso } from "../doctor/reso";
import type { DoctorCheck } from "../doctor/sheet";
import { checkSkySlope } from "../doctor/skyslope";
import { log } from "../lib/log";

export type { DoctorCheck } from "../doctor/sheet";

/** Every check of every active connection; `ok` is false when any check failed (skips do not count). */
export type DoctorReport = { hubUrl: string; ok: boolean; checkedAt: number; failed: number; checks: DoctorCheck[] };

function checkOne(env: Env, conn: ConnectionConfig, config: BrokerageConfig, hubUrl: string) {
  switch (conn.vendor) {
    case "followupboss":
      return checkFollowUpBoss(env, conn, config, hubUrl);
    case "dotloop":
      return checkDotloop(env, conn, hubUrl, conn.id === config.tms);
    case "quickbooks":
      return checkQuickBooks(env, conn, config, hubUrl);
    case "skyslope":
      return checkSkySlope(env, conn);
    case "liondesk":
      return checkLionDesk(env, conn);
    case "reso":
      return checkReso(env, conn);
  }
}

/**
 * The connection doctor: checks, read-only against each live account, every assumption the flows
 * make about it. Vendor calls go through each connection's gate, so they spend its budget like
 * any other call. Connections run side by side; each one's checks in order.
 */
export async function runDoctor(
  env: Env,
  hubUrl: string,
  config: BrokerageConfig = brokerageConfig(env),
  now = Date.now,
): Promise<DoctorReport> {
  const base = hubUrl.replace(/\/+$/, "");
  const sheets = await Promise.all([...monitoredConnections(config).map((c) => checkOne(env, c, config, base)), checkDocuSign(env)]);
  const checks = sheets.flatMap((s) => s?.rows ?? []);
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length > 0) log("warn", "doctor_failed", { failed: failed.length, checks: failed.map((c) => c.id).join(",") });
  return { hubUrl: base, ok: failed.length === 0, checkedAt: now(), failed: failed.length, checks };
}
