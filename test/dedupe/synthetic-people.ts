/**
 * Deterministic synthetic US people with injected duplicates (typos, nicknames, swapped names,
 * new phone, reformatted or changed address, transposed birth dates) and look-alike household
 * members (same surname, address and often phone or email; different person). Used by the tests
 * and by bench/eval-dedupe.ts; `entity` is the ground truth.
 */
import type { DedupePerson } from "../../src/dedupe/index";

const FIRST = (
  "robert william richard james john joseph thomas charles edward michael christopher daniel david " +
  "anthony andrew alexander benjamin nicholas matthew samuel patrick stephen gregory kenneth " +
  "lawrence raymond ronald donald douglas gerald harold henry frederick peter timothy walter " +
  "zachary joshua jacob kevin brian jason ryan eric scott aaron adam tyler kyle nathan carlos " +
  "luis jose juan miguel diego ahmed omar wei hiroshi raj elizabeth margaret katherine jennifer " +
  "jessica rebecca susan deborah dorothy barbara victoria abigail samantha christina virginia " +
  "amanda emily isabella eleanor helen mary sarah judith caroline jacqueline linda karen nancy " +
  "lisa betty sandra ashley kimberly donna michelle laura melissa stephanie rachel heather " +
  "nicole megan olivia sophia mia chloe grace zoe maria ana lucia priya aisha mei yuki fatima"
).split(" ");
const LAST = (
  "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez " +
  "gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris " +
  "sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill " +
  "flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips " +
  "evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers " +
  "gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson " +
  "watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders " +
  "patel myers long ross foster jimenez powell jenkins perry russell sullivan bell coleman butler " +
  "henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton " +
  "graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina " +
  "aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington " +
  "kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson porter"
).split(" ");
const NICK: Record<string, string> = {
  robert: "bob",
  william: "bill",
  richard: "rick",
  james: "jim",
  joseph: "joe",
  thomas: "tom",
  charles: "charlie",
  edward: "ed",
  michael: "mike",
  christopher: "chris",
  daniel: "dan",
  david: "dave",
  anthony: "tony",
  andrew: "andy",
  alexander: "alex",
  benjamin: "ben",
  nicholas: "nick",
  matthew: "matt",
  samuel: "sam",
  patrick: "pat",
  stephen: "steve",
  elizabeth: "liz",
  margaret: "peggy",
  katherine: "kate",
  jennifer: "jenny",
  rebecca: "becky",
  susan: "sue",
  deborah: "debbie",
  victoria: "vicky",
  abigail: "abby",
  samantha: "sam",
};
const STREETS = (
  "main oak pine maple cedar elm washington lake hill park view sunset lincoln jackson highland " +
  "church river forest meadow spring willow ridge valley cherry walnut chestnut franklin madison " +
  "jefferson adams center mill orchard prospect union grove"
).split(" ");
const SUFFIX: Array<[string, string]> = [
  ["Street", "St"],
  ["Avenue", "Ave"],
  ["Road", "Rd"],
  ["Drive", "Dr"],
  ["Lane", "Ln"],
  ["Court", "Ct"],
  ["Boulevard", "Blvd"],
  ["Place", "Pl"],
];
const DIRS: Array<[string, string]> = [
  ["North", "N"],
  ["South", "S"],
  ["East", "E"],
  ["West", "W"],
];
const CITIES =
  "Springfield Riverside Franklin Greenville Bristol Clinton Fairview Salem Madison Georgetown Arlington Ashland Dover Oxford Jackson Burlington Manchester Milton Newport Auburn".split(
    " ",
  );
const DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "comcast.net"];

/** mulberry32: a small seeded PRNG, so every run builds the same people. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Base {
  first: string;
  last: string;
  email: string;
  phone: string;
  dir: number;
  street: number;
  suffix: number;
  number: number;
  city: number;
  zip: string;
  dob: string;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const pad = (n: number, w: number): string => String(n).padStart(w, "0");

/** Synthetic people and their true entity ids. */
export function syntheticPeople(n: number, seed = 1): { people: DedupePerson[]; entity: Map<string, string> } {
  const r = rng(seed);
  const int = (k: number): number => Math.floor(r() * k);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  // Zipf-ish surnames: a few very common ones, as in real data.
  const lastName = (): string => LAST[Math.floor(LAST.length * r() ** 1.3)] ?? "smith";
  const usedEmails = new Set<string>();
  const email = (first: string, last: string): string => {
    for (;;) {
      const local = pick([
        `${first}.${last}`,
        `${first}${last}${int(100)}`,
        `${first[0]}${last}${int(1000)}`,
        `${last}.${first}${int(10)}`,
      ]);
      const e = `${local}@${pick(DOMAINS)}`;
      if (!usedEmails.has(e)) {
        usedEmails.add(e);
        return e;
      }
    }
  };
  const phone = (): string => `${200 + int(800)}${200 + int(800)}${pad(int(10_000), 4)}`;
  const dob = (from: number, span: number): string => `${from + int(span)}-${pad(1 + int(12), 2)}-${pad(1 + int(28), 2)}`;
  const zipOf = (city: number): string => pad(10_000 + city * 2_531 + int(40), 5);
  const base = (): Base => {
    const city = int(CITIES.length);
    const first = pick(FIRST);
    const last = lastName();
    return {
      first,
      last,
      email: email(first, last),
      phone: phone(),
      dir: int(6),
      street: int(STREETS.length),
      suffix: int(SUFFIX.length),
      number: 1 + int(9999),
      city,
      zip: zipOf(city),
      dob: dob(1940, 65),
    };
  };
  const typo = (s: string): string => {
    if (s.length < 3) return s;
    const i = 1 + int(s.length - 2);
    const c = "abcdefghijklmnopqrstuvwxyz"[int(26)] ?? "e";
    switch (int(4)) {
      case 0:
        return s.slice(0, i) + c + s.slice(i + 1);
      case 1:
        return s.slice(0, i) + s.slice(i + 1);
      case 2:
        return s.slice(0, i) + c + s.slice(i);
      default:
        return s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1);
    }
  };
  const fmtPhone = (p: string): string =>
    pick([
      p,
      `(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)}`,
      `+1 ${p.slice(0, 3)} ${p.slice(3, 6)} ${p.slice(6)}`,
      `${p.slice(0, 3)}.${p.slice(3, 6)}.${p.slice(6)}`,
    ]);
  const toPerson = (id: string, b: Base, long: boolean): DedupePerson => {
    const dir = DIRS[b.dir];
    const suffix = SUFFIX[b.suffix] ?? ["Street", "St"];
    const d = dir === undefined ? "" : `${long ? dir[0] : dir[1]} `;
    return {
      id,
      firstName: cap(b.first),
      lastName: cap(b.last),
      emails: b.email === "" ? [] : [b.email],
      phones: b.phone === "" ? [] : [fmtPhone(b.phone)],
      birthDate: b.dob === "" ? undefined : b.dob,
      address: {
        street: `${b.number} ${d}${cap(STREETS[b.street] ?? "main")} ${long ? suffix[0] : suffix[1]}`,
        city: CITIES[b.city] ?? "",
        state: "IL",
        zip: b.zip,
      },
    };
  };
  const corrupt = (b: Base): Base => {
    const d = { ...b };
    const edits = 1 + int(3);
    let heavy = false; // at most one of: moved, new phone, new email, so a duplicate stays findable
    for (let k = 0; k < edits; k++) {
      const kind = int(11);
      if (kind >= 4 && kind <= 7 && kind !== 6) {
        if (heavy) continue;
        heavy = true;
      }
      switch (kind) {
        case 0:
          d.first = typo(d.first);
          break;
        case 1:
          d.last = typo(d.last);
          break;
        case 2:
          d.first = NICK[d.first] ?? typo(d.first);
          break;
        case 3:
          [d.first, d.last] = [d.last, d.first];
          break;
        case 4:
          d.phone = phone();
          break;
        case 5:
          d.email = pick(["", email(d.first, d.last)]);
          break;
        case 6:
          d.email = d.email.toUpperCase();
          break;
        case 7: {
          const city = int(CITIES.length);
          Object.assign(d, { number: 1 + int(9999), street: int(STREETS.length), city, zip: zipOf(city) });
          break;
        }
        case 8: {
          const [y, m, dd] = d.dob.split("-");
          if (dd !== undefined && Number(dd) <= 12) d.dob = `${y}-${dd}-${m}`;
          else d.dob = "";
          break;
        }
        case 9:
          d.dob = d.dob.replace(/\d(?=\d-)/, String(int(10)));
          break;
        default:
          d.zip = "";
          break;
      }
    }
    return d;
  };
  const people: DedupePerson[] = [];
  const entity = new Map<string, string>();
  const originals: Array<{ entity: string; base: Base }> = [];
  for (let i = 0; i < n; i++) {
    const id = `p${pad(i, 6)}`;
    const roll = r();
    const source = originals.length > 0 ? pick(originals) : undefined;
    if (source !== undefined && roll < 0.15) {
      people.push(toPerson(id, corrupt(source.base), r() < 0.5));
      entity.set(id, source.entity);
    } else if (source !== undefined && roll < 0.2) {
      // A household member: shares surname and address, often the landline or a family email.
      const s = source.base;
      const first = pick(FIRST);
      const member: Base = {
        ...s,
        first,
        email: r() < 0.3 ? s.email : email(first, s.last),
        phone: r() < 0.5 ? s.phone : phone(),
        dob: dob(1940, 65),
      };
      people.push(toPerson(id, member, r() < 0.5));
      entity.set(id, id);
      originals.push({ entity: id, base: member });
    } else {
      const b = base();
      people.push(toPerson(id, b, r() < 0.5));
      entity.set(id, id);
      originals.push({ entity: id, base: b });
    }
  }
  return { people, entity };
}
