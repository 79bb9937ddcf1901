/**
 * The sandbox's answers to what the connection doctor reads have the published shapes, so the
 * doctor's tests against the sandbox say something about the vendor.
 */
import { describe, expect, it } from "vitest";
import { vendorRequest } from "../../../src/vendors/shared/transport";
import { connectFlow, open, uid } from "../../vendors/support";
import profiles from "../doctor/dotloop-profiles.response.json";
import { mismatches, shapeOf } from "../shape";

describe("the Dotloop sandbox's profile list", () => {
  it("has the recorded shape, requiresTemplate included", async () => {
    const id = `dotloop:agent-d${uid()}`;
    expect((await connectFlow("dotloop", id)).done.status).toBe(200);
    const r = await vendorRequest<unknown>(open(id), { method: "GET", path: "/profile" });
    if (!r.ok) throw new Error(r.error.message);
    expect(mismatches(r.value.data, shapeOf(profiles))).toEqual([]);
  });
});
