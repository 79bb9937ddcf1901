import { ok, type Result } from "../lib/result";
import type { Connection } from "../vendors/shared/transport";
import { skipped, type CheckStatus, type Verdict } from "./verdicts";

/** One row of the doctor's table. `id` is stable (`<vendor>.<check>`) for scripts; `name` reads. */
export type DoctorCheck = {
  connection: string;
  vendor: string;
  id: string;
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
};

/** The rows of one connection, in the order the checks ran. */
export class Sheet {
  readonly rows: DoctorCheck[] = [];

  constructor(
    readonly connection: string,
    readonly vendor: string,
  ) {}

  add(check: string, name: string, v: Verdict): Verdict {
    this.rows.push({ connection: this.connection, vendor: this.vendor, id: `${this.vendor}.${check}`, name, ...v });
    return v;
  }

  /** Rows that cannot run because `because` failed. */
  skip(because: string, checks: Array<[string, string]>): void {
    for (const [check, name] of checks) this.add(check, name, skipped(`needs '${because}' to pass first`));
  }
}

/**
 * Renews the connection's credential now, through its gate's single-flight lease: marks the
 * current token spent, then asks for one, which renews (OAuth refresh, vendor login) and stores
 * the answer before anyone uses it, as an expiry would. Run last: a failed renewal leaves the
 * connection to renew again on its next call.
 */
export async function renewNow(conn: Connection): Promise<Result<{ before?: string; after?: string }>> {
  const first = await conn.auth.headers();
  const before = first.ok ? first.value.token : undefined;
  if (before && conn.auth.invalidate) await conn.auth.invalidate(before);
  else if (!first.ok) return first;
  const second = await conn.auth.headers();
  if (!second.ok) return second;
  return ok({ ...(before ? { before } : {}), ...(second.value.token ? { after: second.value.token } : {}) });
}
