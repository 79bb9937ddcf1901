import { describe, expect, it } from "vitest";
import { networkOf } from "../../src/ops/rate-limit";

describe("the client an address counts as", () => {
  it("is an IPv6 address's /64, however the address is written", () => {
    const forms = ["2001:db8:0:1::5", "2001:db8::1:2:3:4:5", "2001:0db8:0000:0001:0:0:0:5", "2001:DB8:0:1:ffff:ffff:ffff:ffff"];
    expect(new Set(forms.map((ip) => networkOf(ip)))).toEqual(new Set(["2001:db8:0:1"]));
    expect(networkOf("2001:db8:0:2::5")).toBe("2001:db8:0:2");
    expect(networkOf("::1")).toBe("0:0:0:0");
  });

  it("is an IPv4 address (or one mapped into IPv6) as it is", () => {
    expect(networkOf("203.0.113.7")).toBe("203.0.113.7");
    expect(networkOf("::ffff:203.0.113.7")).toBe("::ffff:203.0.113.7");
  });
});
