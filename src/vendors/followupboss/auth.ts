import type { ConnectionConfig } from "../../config/brokerage";
import { ok, permanent } from "../../lib/result";
import type { Authorizer } from "../shared/transport";

/** API key as the Basic username (blank password) plus the registered system's headers. */
export function followUpBossAuth(config: ConnectionConfig): Authorizer {
  const { apiKey, system, systemKey } = config.credentials;
  return {
    async headers() {
      if (!apiKey) return permanent("credentials_missing", `${config.id}: credentials.apiKey is not set`, { vendor: "followupboss" });
      return ok({
        headers: {
          authorization: `Basic ${btoa(`${apiKey}:`)}`,
          ...(system ? { "x-system": system } : {}),
          ...(systemKey ? { "x-system-key": systemKey } : {}),
        },
      });
    },
  };
}
