import { describe, expect, it } from "vitest";
import { jaroWinkler, soundex } from "../../src/dedupe/index";

describe("name similarity primitives", () => {
  it("Jaro-Winkler matches the published examples (Winkler 1990)", () => {
    expect(jaroWinkler("martha", "marhta")).toBeCloseTo(0.961, 3);
    expect(jaroWinkler("dwayne", "duane")).toBeCloseTo(0.84, 3);
    expect(jaroWinkler("dixon", "dicksonx")).toBeCloseTo(0.813, 3);
    expect(jaroWinkler("abc", "abc")).toBe(1);
    expect(jaroWinkler("abc", "xyz")).toBe(0);
    expect(jaroWinkler("", "")).toBe(0);
  });

  it("Soundex follows the American rules (h/w do not separate, vowels do)", () => {
    expect(soundex("robert")).toBe("r163");
    expect(soundex("rupert")).toBe("r163");
    expect(soundex("ashcraft")).toBe("a261");
    expect(soundex("tymczak")).toBe("t522");
    expect(soundex("pfister")).toBe("p236");
    expect(soundex("lee")).toBe("l000");
  });
});
