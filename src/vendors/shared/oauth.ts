import type { CredentialAnswer, Gate, StoredCredential } from "../../durable/vendor-gate";
import { ok, permanent, transient, type Result } from "../../lib/result";
import { sleep } from "../../lib/sleep";
import type { Authorizer } from "./transport";

/** Renews a credential: an OAuth refresh, a vendor login. Null `current` means none is stored yet. */
export type Renew = (current: StoredCredential | null) => Promise<Result<StoredCredential>>;

/**
 * A bearer-token authorizer backed by the connection's gate. Exactly one caller renews at a time
 * (the gate leases it); the renewed credential is stored in the gate before anyone uses it, so a
 * rotated refresh token is never lost. When the gate refuses the store (another credential was
 * stored meanwhile, e.g. a new grant from the connect flow), the stored one is read and used.
 */
export function gateAuthorizer(gate: Gate, renew: Renew, header: (token: string) => Record<string, string>): Authorizer {
  return {
    async headers() {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const ans: CredentialAnswer = await gate.credential();
        if (ans.kind === "token") return ok({ headers: header(ans.credential.accessToken), token: ans.credential.accessToken });
        if (ans.kind === "wait") {
          if (Date.now() > deadline) return transient("credential_busy", "another caller is renewing the credential");
          await sleep(ans.waitMs);
          continue;
        }
        const renewed = await renew(ans.credential);
        if (!renewed.ok) {
          await gate.abandonLease(ans.leaseId);
          // A stored grant the hub cannot open is not the same as none: say which key is missing.
          if (ans.unreadable && renewed.error.code === "not_connected")
            return permanent("credential_unreadable", ans.unreadable, { vendor: renewed.error.vendor });
          return renewed;
        }
        if (!(await gate.storeCredential(ans.leaseId, renewed.value))) continue;
        return ok({ headers: header(renewed.value.accessToken), token: renewed.value.accessToken });
      }
    },
    async invalidate(token) {
      await gate.invalidate(token);
    },
  };
}

/** For OAuth vendors with no stored grant yet: the brokerage must connect first (/connect/:vendor). */
export function notConnected(vendor: string): Result<never> {
  return permanent("not_connected", `${vendor} is not connected; visit /connect/${vendor} to authorize the hub`, { vendor });
}
