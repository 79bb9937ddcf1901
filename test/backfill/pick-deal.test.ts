import { describe, expect, it } from "vitest";
import { pickDeal } from "../../src/backfill/compare";

const elm = { number: "12", street: "Elm", suffix: "St", city: "Springfield", state: "IL", zip: "62704" };
const oak = { number: "40", street: "Oak", suffix: "Ave", city: "Springfield", state: "IL", zip: "62704" };

describe("which of a client's open deals a transaction joins", () => {
  it("joins the client's only deal when nothing says it is another property", () => {
    const deal = { id: "d1", priceCents: 45_000_000 };
    expect(pickDeal([deal], { priceCents: 43_500_000 })).toBe(deal);
    expect(pickDeal([{ id: "d2" }], { priceCents: 30_000_000, address: elm })?.id).toBe("d2");
    expect(pickDeal([{ id: "d3", address: elm }], { address: elm })?.id).toBe("d3");
  });

  it("leaves the only deal alone when its price is far from the transaction's: a client selling one home and buying another", () => {
    expect(pickDeal([{ id: "buy", priceCents: 45_000_000 }], { priceCents: 30_000_000 })).toBeNull();
  });

  it("leaves the only deal alone when its address is another one", () => {
    expect(pickDeal([{ id: "buy", address: oak }], { address: elm })).toBeNull();
  });

  it("picks among several by address, then by price, and none when still several fit", () => {
    const a = { id: "a", address: elm, priceCents: 1 };
    const b = { id: "b", address: oak, priceCents: 2 };
    expect(pickDeal([a, b], { address: oak })).toBe(b);
    expect(pickDeal([a, b], { priceCents: 1 })).toBe(a);
    expect(pickDeal([a, { ...b, id: "c", priceCents: 1 }], { priceCents: 1 })).toBeNull();
  });
});
