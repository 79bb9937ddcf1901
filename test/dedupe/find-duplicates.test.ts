import { describe, expect, it } from "vitest";
import { findDuplicatePairs, type DedupePerson } from "../../src/dedupe/index";

const base: Omit<DedupePerson, "id"> = {
  firstName: "Robert",
  lastName: "Hernandez",
  emails: ["robert.hernandez@example.com"],
  phones: ["(312) 555-0142"],
  address: { street: "123 North Main Street", city: "Springfield", state: "IL", zip: "62704" },
  birthDate: "1980-03-14",
};

/** The pair the dedupe proposes for two people, if any. */
function pairOf(a: Omit<DedupePerson, "id">, b: Omit<DedupePerson, "id">) {
  return findDuplicatePairs([
    { id: "a", ...a },
    { id: "b", ...b },
  ])[0];
}

describe("findDuplicatePairs: the same person written differently", () => {
  it("pairs a nickname with the full given name and says so", () => {
    const pair = pairOf(base, { ...base, firstName: "Bob", emails: [] });
    expect(pair).toMatchObject({ a: "a", b: "b" });
    expect(pair?.reasons).toContain("nickname:robert~bob");
  });

  it("pairs a typo in both names, with a Jaro-Winkler reason", () => {
    const pair = pairOf(base, { ...base, firstName: "Rboert", lastName: "Hernandes", emails: [] });
    expect(pair?.reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/^first_jw:0\.9\d$/), expect.stringMatching(/^last_jw:0\.9\d$/)]),
    );
  });

  it("pairs first and last name swapped", () => {
    const pair = pairOf(base, { ...base, firstName: "Hernandez", lastName: "Robert", phones: [] });
    expect(pair?.reasons).toContain("name_swapped");
  });

  it("pairs a changed phone when the email (any case, +tag) is the same", () => {
    const pair = pairOf(base, { ...base, phones: ["+1 773 555 0199"], emails: ["Robert.Hernandez+crm@Example.com"], address: undefined });
    expect(pair?.reasons).toContain("email_exact");
    expect(pair?.reasons).not.toContain("phone_exact");
  });

  it("matches phone numbers by digits whatever the formatting", () => {
    const pair = pairOf(base, { ...base, phones: ["312.555.0142"], emails: [] });
    expect(pair?.reasons).toContain("phone_exact");
  });

  it("treats '123 North Main Street' and '123 N Main St' as the same address", () => {
    const pair = pairOf(
      { firstName: "Ann", lastName: "Lee", address: { street: "123 North Main Street", zip: "62704" } },
      { firstName: "Anne", lastName: "Lee", address: { street: "123 N Main St", zip: "62704" } },
    );
    expect(pair?.reasons).toEqual(expect.arrayContaining(["address_same", "zip_exact"]));
  });

  it("pairs a birth date with day and month transposed", () => {
    const pair = pairOf({ ...base, birthDate: "1980-03-11" }, { ...base, birthDate: "1980-11-03", emails: [], phones: [] });
    expect(pair?.reasons).toContain("dob_transposed");
  });

  it("scores in [0,1], orders ids in each pair, and returns the same for shuffled input", () => {
    const people: DedupePerson[] = [
      { id: "z", ...base },
      { id: "m", ...base, firstName: "Bob" },
      { id: "c", ...base, lastName: "Hernandes" },
    ];
    const pairs = findDuplicatePairs(people);
    expect(pairs).toHaveLength(3);
    for (const p of pairs) {
      expect(p.a < p.b).toBe(true);
      expect(p.score).toBeGreaterThan(0.5);
      expect(p.score).toBeLessThanOrEqual(1);
    }
    expect(findDuplicatePairs([...people].reverse())).toEqual(pairs);
  });
});

describe("findDuplicatePairs: different people are left apart", () => {
  it("does not pair people who share only a common surname", () => {
    const people: DedupePerson[] = [
      {
        id: "1",
        firstName: "James",
        lastName: "Smith",
        emails: ["jsmith@a.com"],
        phones: ["3125550101"],
        address: { street: "1 Oak St", zip: "60601" },
        birthDate: "1970-01-02",
      },
      {
        id: "2",
        firstName: "Mary",
        lastName: "Smith",
        emails: ["mary.s@b.com"],
        phones: ["3125550102"],
        address: { street: "9 Elm Ave", zip: "60601" },
        birthDate: "1985-07-09",
      },
      {
        id: "3",
        firstName: "Jamal",
        lastName: "Smith",
        emails: ["jamal@c.com"],
        phones: ["3125550103"],
        address: { street: "5 Pine Rd", zip: "60602" },
        birthDate: "1992-11-30",
      },
      { id: "4", firstName: "John", lastName: "Smith", phones: ["7735550104"], birthDate: "1970-02-02" },
    ];
    expect(findDuplicatePairs(people)).toEqual([]);
  });

  it("does not pair spouses who share email, phone, address and surname", () => {
    const home = {
      lastName: "Garcia",
      emails: ["garcia.family@example.com"],
      phones: ["3125550177"],
      address: { street: "42 W Lake Dr", zip: "60614" },
    };
    const couple: DedupePerson[] = [
      { id: "h", firstName: "Carlos", birthDate: "1975-05-05", ...home },
      { id: "w", firstName: "Maria", birthDate: "1977-09-21", ...home },
    ];
    expect(findDuplicatePairs(couple)).toEqual([]);
    // Below the threshold the evidence is still explained: shared contact, different person.
    const [low] = findDuplicatePairs(couple, { threshold: 0 });
    expect(low?.reasons).toEqual(expect.arrayContaining(["email_exact", "first_differs", "dob_differs"]));
  });

  it("does not pair a father and son told apart by Sr. and Jr. at one address", () => {
    const home = { firstName: "John", address: { street: "9 Elm St", city: "Springfield", zip: "62704" } };
    const father = { ...home, lastName: "Hernandez Sr.", emails: ["john.sr@example.com"], phones: ["3125550101"] };
    const son = { ...home, lastName: "Hernandez Jr", emails: ["jhernandez@example.net"], phones: ["3125550102"] };
    expect(pairOf(father, son)).toBeUndefined();
    expect(
      findDuplicatePairs(
        [
          { id: "a", ...father },
          { id: "b", ...son },
        ],
        { threshold: 0 },
      )[0]?.reasons,
    ).toContain("generation_differs");
  });

  it("still pairs one person written with and without a generational suffix", () => {
    const pair = pairOf({ ...base, lastName: "Hernandez Jr." }, { ...base, emails: [] });
    expect(pair?.reasons).toContain("last_exact");
  });

  it("threshold trades recall for precision", () => {
    const people: DedupePerson[] = [
      { id: "1", ...base },
      { id: "2", ...base, firstName: "Rob", lastName: "Hernandes", emails: [], phones: [], birthDate: undefined },
    ];
    const [pair] = findDuplicatePairs(people, { threshold: 0 });
    expect(pair).toBeDefined();
    expect(findDuplicatePairs(people, { threshold: Math.min(1, (pair?.score ?? 0) + 0.0001) })).toEqual([]);
  });
});
