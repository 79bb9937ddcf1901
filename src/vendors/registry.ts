import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import { dotloopAuth } from "./dotloop/auth";
import { dotloopDialect } from "./dotloop/dialect";
import { followUpBossAuth } from "./followupboss/auth";
import { followUpBossDialect } from "./followupboss/dialect";
import { lionDeskAuth } from "./liondesk/auth";
import { lionDeskDialect } from "./liondesk/dialect";
import { quickBooksAuth } from "./quickbooks/auth";
import { quickBooksDialect } from "./quickbooks/dialect";
import { skySlopeAuth } from "./skyslope/auth";
import { skySlopeDialect } from "./skyslope/dialect";
import { resoAuth } from "./reso/auth";
import { resoDialect } from "./reso/dialect";
import { resilientGate } from "./shared/gate-stub";
import type { Connection } from "./shared/transport";

/** Per-agent Dotloop connections: `dotloop:agent-<name>` (Dotloop grants belong to one agent). */
const AGENT_CONNECTION = /^dotloop:agent-[a-z0-9._-]+$/;

/**
 * The configuration of a connection id: the configured one, or for a per-agent Dotloop id not
 * listed on its own, `dotloop:main`'s settings (same app credentials and limits) under that id,
 * so each agent's grant and budget live in a gate of their own. Null when neither applies.
 */
export function connectionConfigFor(config: BrokerageConfig, id: string): ConnectionConfig | null {
  const listed = config.connections.find((c) => c.id === id);
  if (listed) return listed;
  if (!AGENT_CONNECTION.test(id)) return null;
  const main = config.connections.find((c) => c.id === "dotloop:main");
  return main ? { ...main, id, agent: { ...main.agent, name: id.slice("dotloop:agent-".length) } } : null;
}

/**
 * Opens a connection by id: its configuration, its gate (the Durable Object named after the
 * connection), and the vendor's dialect and authorizer. Nothing outside src/vendors needs to know
 * how a vendor authenticates or reports limits.
 */
export function openConnection(env: Env, config: BrokerageConfig, id: string): Connection {
  const conn = connectionConfigFor(config, id);
  if (!conn) throw new Error(`no connection '${id}' in the configuration`);
  return connectionFor(env, conn);
}

export function connectionFor(env: Env, config: ConnectionConfig): Connection {
  const gate = resilientGate(() => env.VENDOR_GATE.getByName(config.id));
  switch (config.vendor) {
    case "followupboss":
      return { config, gate, dialect: followUpBossDialect, auth: followUpBossAuth(config) };
    case "dotloop":
      return { config, gate, dialect: dotloopDialect, auth: dotloopAuth(config, gate) };
    case "quickbooks":
      return { config, gate, dialect: quickBooksDialect, auth: quickBooksAuth(config, gate) };
    case "skyslope":
      return { config, gate, dialect: skySlopeDialect, auth: skySlopeAuth(config, gate) };
    case "liondesk":
      return { config, gate, dialect: lionDeskDialect, auth: lionDeskAuth(config, gate) };
    case "reso":
      return { config, gate, dialect: resoDialect, auth: resoAuth(config, gate) };
  }
}
