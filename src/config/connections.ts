import { type BrokerageConfig, type ConnectionConfig, ResoOptions, type VendorName } from "./brokerage";

/** The connections the brokerage actually uses (the active CRM, TMS and accounting, and Dotloop agents). */
export function activeConnections(config: BrokerageConfig): ConnectionConfig[] {
  const ids = new Set([config.crm, config.tms, config.accounting].filter((x): x is string => Boolean(x)));
  return config.connections.filter((c) => ids.has(c.id) || (c.vendor === "dotloop" && c.id.startsWith("dotloop:agent-")));
}

/** The connections the hub checks and reports on: the active ones, and the MLS feed it replicates. */
export function monitoredConnections(config: BrokerageConfig): ConnectionConfig[] {
  const active = activeConnections(config);
  const mls = config.mls ? config.connections.find((c) => c.id === config.mls && !active.includes(c)) : undefined;
  return mls ? [...active, mls] : active;
}

/** A RESO connection's replication options, defaults filled in. */
export function resoOptions(conn: ConnectionConfig): ResoOptions {
  return conn.reso ?? ResoOptions.parse({});
}

/** The vendor of the connection a role names (`config.crm`, `config.tms`, …), if one is configured. */
export function vendorOf(config: BrokerageConfig, id: string | undefined): VendorName | undefined {
  return id ? config.connections.find((c) => c.id === id)?.vendor : undefined;
}
