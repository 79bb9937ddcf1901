import { describe, expect, it } from "vitest";
import { normalizeEmail, normalizeName, splitFullName } from "../../src/normalize";

describe("normalizeEmail", () => {
  it("trims and lowercases", () => {
    expect(normalizeEmail("  Ana.Ruiz@Example.COM ")).toEqual({ ok: true, value: "ana.ruiz@example.com" });
  });

  it("unwraps display names and mailto:", () => {
    expect(normalizeEmail("Ana Ruiz <ana@example.com>")).toEqual({ ok: true, value: "ana@example.com" });
    expect(normalizeEmail("mailto:ana@example.com")).toEqual({ ok: true, value: "ana@example.com" });
  });

  it("keeps plus tags and turns an international domain into punycode", () => {
    expect(normalizeEmail("ana+zillow@example.com")).toEqual({ ok: true, value: "ana+zillow@example.com" });
    expect(normalizeEmail("ana@bücher.de")).toEqual({ ok: true, value: "ana@xn--bcher-kva.de" });
  });

  it("rejects what is not an address", () => {
    expect(normalizeEmail("")).toMatchObject({ ok: false, code: "email_empty" });
    for (const bad of [
      "ana",
      "ana@",
      "@example.com",
      "ana@example",
      "ana@@example.com",
      "ana @example.com",
      "ana..ruiz@example.com",
      "ana@-example.com",
      "ana@example.c0m",
      "n/a",
      "none@none",
    ]) {
      expect(normalizeEmail(bad), bad).toMatchObject({ ok: false, code: "email_invalid" });
    }
    expect(normalizeEmail(`${"a".repeat(65)}@example.com`)).toMatchObject({ ok: false, code: "email_invalid" });
  });
});

describe("normalizeName", () => {
  it("cases names written all upper or all lower", () => {
    expect(normalizeName("MCDONALD")).toBe("McDonald");
    expect(normalizeName("o'brien")).toBe("O'Brien");
    expect(normalizeName("smith-jones")).toBe("Smith-Jones");
    expect(normalizeName("MACDONALD")).toBe("MacDonald");
    expect(normalizeName("JOHN SMITH III")).toBe("John Smith III");
    expect(normalizeName("LUDWIG VAN BEETHOVEN")).toBe("Ludwig van Beethoven");
  });

  it("does not invent Mac- names", () => {
    expect(normalizeName("MACHADO")).toBe("Machado");
    expect(normalizeName("MACK")).toBe("Mack");
  });

  it("keeps deliberate mixed case and fixes form-style Title case", () => {
    expect(normalizeName("DeShawn")).toBe("DeShawn");
    expect(normalizeName("LaToya McKenzie")).toBe("LaToya McKenzie");
    expect(normalizeName("Mcdonald")).toBe("McDonald");
    expect(normalizeName("O'brien")).toBe("O'Brien");
    expect(normalizeName("Van Buren")).toBe("Van Buren");
  });

  it("tidies stray spaces and curly apostrophes", () => {
    expect(normalizeName("  mary   ann  ")).toBe("Mary Ann");
    expect(normalizeName("smith - jones")).toBe("Smith-Jones");
    expect(normalizeName("O\u2019NEIL")).toBe("O'Neil");
    expect(normalizeName("")).toBe("");
  });
});

describe("splitFullName", () => {
  it("splits first, middle and last", () => {
    expect(splitFullName("john quincy public")).toEqual({ firstName: "John", middleName: "Quincy", lastName: "Public" });
    expect(splitFullName("Ana Ruiz")).toEqual({ firstName: "Ana", lastName: "Ruiz" });
    expect(splitFullName("Cher")).toEqual({ firstName: "Cher" });
  });

  it("reads Last, First order", () => {
    expect(splitFullName("Public, John Q.")).toEqual({ firstName: "John", middleName: "Q.", lastName: "Public" });
    expect(splitFullName("SMITH JR., JOHN")).toEqual({ firstName: "John", lastName: "Smith", suffix: "Jr." });
  });

  it("keeps generational suffixes and drops prefixes, credentials and nicknames", () => {
    expect(splitFullName("Dr. Martin Luther King Jr.")).toEqual({
      firstName: "Martin",
      middleName: "Luther",
      lastName: "King",
      suffix: "Jr.",
    });
    expect(splitFullName("Mr. John Smith, III")).toEqual({ firstName: "John", lastName: "Smith", suffix: "III" });
    expect(splitFullName("Jane Doe, MD")).toEqual({ firstName: "Jane", lastName: "Doe" });
    expect(splitFullName('Robert "Bob" Smith Sr')).toEqual({ firstName: "Robert", lastName: "Smith", suffix: "Sr." });
  });

  it("keeps Do and V as surnames unless a comma sets them apart as a credential or suffix", () => {
    expect(splitFullName("Linh Do")).toEqual({ firstName: "Linh", lastName: "Do" });
    expect(splitFullName("DAVID DO")).toEqual({ firstName: "David", lastName: "Do" });
    expect(splitFullName("John Q. Do")).toEqual({ firstName: "John", middleName: "Q.", lastName: "Do" });
    expect(splitFullName("Stephanie V")).toEqual({ firstName: "Stephanie", lastName: "V" });
    expect(splitFullName("Jane Doe, DO")).toEqual({ firstName: "Jane", lastName: "Doe" });
    expect(splitFullName("John Smith, V")).toEqual({ firstName: "John", lastName: "Smith", suffix: "V" });
  });

  it("keeps surname particles with the last name", () => {
    expect(splitFullName("MARIA DE LA CRUZ")).toEqual({ firstName: "Maria", lastName: "de la Cruz" });
    expect(splitFullName("Ludwig van Beethoven")).toEqual({ firstName: "Ludwig", lastName: "van Beethoven" });
  });

  it("returns nothing for an empty name", () => {
    expect(splitFullName("   ")).toEqual({});
  });
});
