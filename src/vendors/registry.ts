import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import { followUpBossAuth } from "./followupboss/auth";
import { followUpBossDialect } from "./followupboss/dialect";
import type { Connection } from "./shared/transport";

/**
 * Opens a connection by id: its configuration, its gate (the Durable Object named after the
 * connection), and the vendor's dialect and authorizer. Nothing outside src/vendors needs to know
 * how a vendor authenticates or reports limits.
 */
export function openConnection(env: Env, config: BrokerageConfig, id: string): Connection {
  const conn = config.connections.find((c) => c.id === id);
  if (!conn) throw new Error(`no connection '${id}' in the configuration`);
  return connectionFor(env, conn);
}

export function connectionFor(env: Env, config: ConnectionConfig): Connection {
  const gate = env.VENDOR_GATE.getByName(config.id);
  switch (config.vendor) {
    case "followupboss":
      return { config, gate, dialect: followUpBossDialect, auth: followUpBossAuth(config) };
    default:
      throw new Error(`vendor ${config.vendor} has no adapter yet`);
  }
}
