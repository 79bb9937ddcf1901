import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import type { AccountingAdapter } from "./accounting";
import type { CrmAdapter } from "./crm";
import type { TmsAdapter } from "./tms";
import { FollowUpBossCrm } from "./followupboss/crm";
import type { Result } from "../lib/result";
import { DotloopClient } from "./dotloop/client";
import { dotloopPollers } from "./dotloop/poll";
import { DotloopTms } from "./dotloop/tms";
import { LionDeskClient } from "./liondesk/client";
import { LionDeskCrm } from "./liondesk/crm";
import { QuickBooksAccounting } from "./quickbooks/accounting";
import { QuickBooksClient } from "./quickbooks/client";
import { quickBooksPollers } from "./quickbooks/poll";
import { SkySlopeClient } from "./skyslope/client";
import { skySlopePollers } from "./skyslope/poll";
import { SkySlopeTms } from "./skyslope/tms";
import { FollowUpBossClient } from "./followupboss/client";
import { followUpBossPollers } from "./followupboss/poll";
import type { Poller } from "./poller";
import { connectionFor, openConnection } from "./registry";
import { ResoClient } from "./reso/client";

/** The brokerage's active CRM, as the interface the flows speak. */
export function crmFor(env: Env, config: BrokerageConfig): CrmAdapter {
  const conn = openConnection(env, config, config.crm);
  switch (conn.config.vendor) {
    case "followupboss":
      return new FollowUpBossCrm(conn, config);
    case "liondesk":
      return new LionDeskCrm(conn);
    default:
      throw new Error(`${conn.config.vendor} cannot act as the CRM`);
  }
}

/** The brokerage's active transaction management system. */
export function tmsFor(env: Env, config: BrokerageConfig): TmsAdapter {
  if (!config.tms) throw new Error("no TMS is configured");
  const conn = openConnection(env, config, config.tms);
  switch (conn.config.vendor) {
    case "dotloop":
      return new DotloopTms(conn, config);
    case "skyslope":
      return new SkySlopeTms(conn, config);
    default:
      throw new Error(`${conn.config.vendor} cannot act as the TMS`);
  }
}

/** The brokerage's accounting system. */
export function accountingFor(env: Env, config: BrokerageConfig): AccountingAdapter {
  if (!config.accounting) throw new Error("no accounting system is configured");
  const conn = openConnection(env, config, config.accounting);
  if (conn.config.vendor !== "quickbooks") throw new Error(`${conn.config.vendor} cannot act as accounting`);
  return new QuickBooksAccounting(conn, config);
}

/** The backup pollers of one connection (one per resource it can poll). */
export function pollersFor(env: Env, _config: BrokerageConfig, conn: ConnectionConfig): Poller[] {
  const c = connectionFor(env, conn);
  switch (conn.vendor) {
    case "followupboss":
      return followUpBossPollers(c);
    case "dotloop":
      return dotloopPollers(new DotloopTms(c));
    case "skyslope":
      return skySlopePollers(new SkySlopeClient(c));
    case "quickbooks":
      return quickBooksPollers(new QuickBooksClient(c));
    default:
      return [];
  }
}

/** A cheap authenticated call to the vendor, for the scheduled health check. */
export async function pingConnection(env: Env, conn: ConnectionConfig): Promise<Result<true>> {
  const c = connectionFor(env, conn);
  switch (conn.vendor) {
    case "followupboss":
      return new FollowUpBossClient(c).ping();
    case "dotloop":
      return new DotloopClient(c).ping();
    case "skyslope":
      return new SkySlopeClient(c).ping();
    case "quickbooks":
      return new QuickBooksClient(c).ping();
    case "liondesk":
      return new LionDeskClient(c).ping();
    case "reso":
      return new ResoClient(c).ping();
  }
}
