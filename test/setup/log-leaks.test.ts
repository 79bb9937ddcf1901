import { describe, expect, it } from "vitest";
import { findLeaks, secretValues } from "./log-leaks";

const SECRETS = secretValues({
  WEBHOOK_SECRET_IDX: "whsec_aWR4LWRldi1zZWNyZXQtMDEyMzQ1Njc4OTAxMjM=",
  OPS_TOKEN: "dev-ops-token",
  FOLLOWUPBOSS_SYSTEM: "dealwire",
});
const kinds = (line: string) => findLeaks(line, SECRETS).map((l) => l.kind);
const line = (fields: Record<string, unknown>) => JSON.stringify({ level: "info", msg: "x", time: "2026-12-02T19:34:19.123Z", ...fields });

describe("log leak rules", () => {
  it("pass the hub's ordinary lines: ids, codes, counts, times, paths", () => {
    for (const ok of [
      line({
        msg: "request",
        requestId: "8f2c1b7e-4d1a-4c3e-9b2f-0a1b2c3d4e5f",
        method: "POST",
        path: "/hooks/idx",
        status: 202,
        durationMs: 7,
      }),
      line({
        msg: "schema_drift",
        source: "zillow",
        deliveryId: "d4203b1a-9afd-43d1-8f87-ef4558c89fbd",
        records: 503,
        kinds: "unknown_field:503",
      }),
      line({ msg: "message_failed", queue: "crm", messageId: "1750000000123-abc", attempts: 3, code: "followupboss_429", status: 429 }),
      line({ msg: "cron", cron: "*/5 * * * *", polls: 4, at: 1750000000, realm: "9130350000000001", loopId: "34308" }),
      line({ msg: "webhook_misconfigured", detail: "WEBHOOK_SECRET_REALTOR is not set." }),
    ]) {
      expect(kinds(ok), ok).toEqual([]);
    }
  });

  it("catch emails, phones in every usual shape, tokens, secrets and pasted bodies", () => {
    expect(kinds(line({ note: "Ana.Ruiz+x@Example.com" }))).toEqual(["email"]);
    for (const phone of ["+15125550142", "(512) 555-0142", "512.555.0199", "512-555-0123", "5125550123"]) {
      expect(kinds(line({ note: phone })), phone).toContain("phone");
    }
    expect(kinds(line({ header: "Bearer 3f1c9a6e-2b7d-4e8f-9a0b-1c2d3e4f5a6b" }))).toContain("token");
    expect(kinds("refresh_token=3f1c9a6e2b7d4e8f")).toContain("token");
    expect(kinds(line({ detail: "bad key dev-ops-token" }))).toEqual(["secret"]);
    expect(kinds(line({ detail: "aWR4LWRldi1zZWNyZXQtMDEyMzQ1Njc4OTAxMjM=" }))).toEqual(["secret"]);
    expect(kinds(line({ detail: 'Unexpected token in {"type":"lead.created","data":{' }))).toEqual(["raw body"]);
  });

  it("does not treat a non-secret variable's value as a secret", () => {
    expect(kinds(line({ system: "dealwire" }))).toEqual([]);
  });
});
