/**
 * A brokerage's existing records for backfill tests and the bench: CRM people and deals, TMS loops
 * with participants, accounting customers, overlapping the way real systems do (the same client
 * typed in three places, with typos, other phone formats, a changed email, a nickname), and the
 * ground truth of which records are the same person. Deterministic per seed. Pure: the control
 * route stores what it returns in each vendor's state.
 */
import { FIRST_NAMES, LAST_NAMES, PLACES, STREET_NAMES, STREET_SUFFIXES, EMAIL_DOMAINS } from "../leads/names";
import { Rng } from "../lib/prng";

export interface SeedSizes {
  people: number;
  deals: number;
  transactions: number;
  customers: number;
}

/** One record to store: its kind, id and data, and the lookups the vendor finds it by. */
export interface SeedRecord {
  kind: string;
  id: string;
  data: unknown;
  index?: Record<string, string[]>;
}

/** What a seed wrote, per vendor, and which records are the same person (`entity`). */
export interface SeedResult {
  records: Record<"followupboss" | "dotloop" | "quickbooks", SeedRecord[]>;
  /** The next free id of each sequence, per vendor (so later API creates never collide). */
  sequences: Record<"followupboss" | "dotloop" | "quickbooks", Record<string, number>>;
  /** `system:kind:id` → entity, for every person-like record (FUB person, loop client, customer). */
  truth: Record<string, string>;
  /** How each overlap was made, for tests that look at one case. */
  cases: Record<string, string[]>;
}

interface Entity {
  key: string;
  first: string;
  last: string;
  email: string;
  digits: string;
  number: string;
  street: string;
  suffix: string;
  place: (typeof PLACES)[number];
}

const NICKNAMES: Record<string, string> = {
  Daniel: "Dan",
  Samuel: "Sam",
  Benjamin: "Ben",
  Elijah: "Eli",
  Isabella: "Bella",
  Olivia: "Liv",
  Jacob: "Jake",
  Emily: "Em",
};

function typo(rng: Rng, s: string): string {
  if (s.length < 3) return `${s}x`;
  const i = 1 + rng.int(s.length - 2);
  const swapped = `${s.slice(0, i)}${s[i + 1] ?? ""}${s[i] ?? ""}${s.slice(i + 2)}`;
  // Two equal letters swap into the same word: drop one instead.
  return swapped !== s ? swapped : `${s.slice(0, i)}${s.slice(i + 1)}`;
}

function formatPhone(rng: Rng, d: string): string {
  const f = rng.int(4);
  if (f === 0) return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
  if (f === 1) return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
  if (f === 2) return `+1 ${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`;
  return d;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");

/** Area codes of the seeded phones: 10,000 distinct 555 numbers in each. */
const AREAS = ["512", "303", "602", "615", "919", "813", "614", "916", "208", "720"];

function entity(rng: Rng, i: number): Entity {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const place = rng.pick(PLACES);
  return {
    key: `e${i}`,
    first,
    last,
    email: `${slug(first)}.${slug(last)}${i}@${rng.pick(EMAIL_DOMAINS)}`,
    // Unique per entity (up to 100,000 of them).
    digits: `${AREAS[Math.floor(i / 10_000) % AREAS.length] ?? "512"}555${String(i % 10_000).padStart(4, "0")}`,
    number: String(100 + rng.int(9800)),
    street: rng.pick(STREET_NAMES),
    suffix: rng.pick(STREET_SUFFIXES),
    place,
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The records of a brokerage of `sizes`. Every deal belongs to a CRM person; transactions are
 * opened for deals (and a tenth for clients the CRM never had); customers are made for clients with
 * transactions (and a tenth for people only accounting knows).
 */
export function seedBackfill(seed: number, sizes: SeedSizes, now: number): SeedResult {
  const rng = new Rng(seed);
  const truth: Record<string, string> = {};
  const cases: Record<string, string[]> = {
    priceConflict: [],
    exact: [],
    emailTypo: [],
    nameTypo: [],
    phoneOnly: [],
    fuzzyOnly: [],
    writtenBack: [],
    tmsOnly: [],
    accountingOnly: [],
    crmDuplicate: [],
  };
  const fub: SeedRecord[] = [];
  const dotloop: SeedRecord[] = [];
  const qbo: SeedRecord[] = [];
  const people: Entity[] = [];
  const stamp = iso(now - 86_400_000);
  let extra = sizes.people;

  // CRM people (ids from 100001), a few entered twice with a nickname and the same phone.
  let fubId = 100_000;
  const fubOf = new Map<string, number>();
  for (let i = 0; i < sizes.people; i++) people.push(entity(rng, i));
  const order = rng.shuffle(people.map((_, i) => i));
  // The first clients with deals always have their home address in the CRM; others now and then.
  const addressed = new Set(order.slice(0, 10).map((i) => people[i]?.key));
  for (const e of people) {
    const twice = rng.chance(0.01) && NICKNAMES[e.first] !== undefined;
    for (const first of twice ? [e.first, NICKNAMES[e.first] as string] : [e.first]) {
      const id = ++fubId;
      if (!fubOf.has(e.key)) fubOf.set(e.key, id);
      const emails = first === e.first ? [{ value: e.email, type: "home", isPrimary: 1, status: "Valid" }] : [];
      fub.push({
        kind: "person",
        id: String(id),
        data: {
          id,
          created: stamp,
          updated: stamp,
          createdVia: "Import",
          lastActivity: stamp,
          name: `${first} ${e.last}`,
          firstName: first,
          lastName: e.last,
          stage: "Lead",
          source: "Import",
          sourceUrl: "",
          contacted: 0,
          price: 0,
          background: null,
          assignedTo: null,
          assignedUserId: null,
          assignedLenderName: null,
          assignedLenderId: null,
          emails,
          phones: [{ value: formatPhone(rng, e.digits), type: "mobile", isPrimary: 1, status: "Valid" }],
          addresses:
            addressed.has(e.key) || rng.chance(0.6)
              ? [
                  {
                    type: "home",
                    street: `${e.number} ${e.street} ${e.suffix}`,
                    city: e.place.city,
                    state: e.place.state,
                    code: e.place.zip,
                    country: "United States",
                  },
                ]
              : [],
          tags: [],
          custom: {},
        },
        index: { email: emails.map((x) => x.value.toLowerCase()), phone: [e.digits] },
      });
      truth[`followupboss:person:${id}`] = e.key;
      if (twice && first !== e.first) cases.crmDuplicate?.push(`followupboss:person:${id}`);
    }
  }

  // CRM deals for the first `deals` people of the shuffled order.
  const priceOf = new Map<string, number>();
  let dealId = 200_000;
  let loopId = 900_000;
  let participantId = 950_000;
  const loopFor = new Map<string, number>();
  for (let j = 0; j < Math.min(sizes.deals, people.length); j++) {
    const e = people[order[j] as number] as Entity;
    const id = ++dealId;
    const price = 250_000 + rng.int(500) * 1_000;
    priceOf.set(e.key, price);
    // The sixth deal always, then one in twenty: a tiny seed still has every kind of overlap.
    const written = j < sizes.transactions && (j === 5 || (j > 5 && rng.chance(0.05)));
    const custom: Record<string, unknown> = {};
    if (written) {
      loopFor.set(e.key, ++loopId);
      custom.customTransactionID = String(loopId);
      cases.writtenBack?.push(`dotloop:transaction:${loopId}`);
    }
    fub.push({
      kind: "deal",
      id: String(id),
      data: {
        id,
        createdAt: stamp,
        updatedAt: stamp,
        name: `${e.first} ${e.last} - ${e.number} ${e.street}`,
        description: "",
        status: "Active",
        stageId: j < sizes.transactions ? 103 : 102,
        enteredStageAt: stamp,
        peopleIds: [fubOf.get(e.key)],
        userIds: [2],
        fields: { price },
        custom,
      },
    });
  }

  // TMS loops: one per deal up to `transactions` (nine tenths), the rest for clients new to the hub.
  const withDeals = Math.min(sizes.transactions, Math.round(sizes.transactions * 0.9), sizes.deals);
  const loopClients: Array<{ e: Entity; known: boolean }> = [];
  for (let j = 0; j < withDeals; j++) loopClients.push({ e: people[order[j] as number] as Entity, known: true });
  for (let j = withDeals; j < sizes.transactions; j++) loopClients.push({ e: entity(rng, extra++), known: false });
  const FIRST_CASES = ["emailTypo", "nameTypo", "phoneOnly", "fuzzyOnly"];
  for (const [n, { e, known }] of loopClients.entries()) {
    const id = loopFor.get(e.key) ?? ++loopId;
    const first = e.first;
    let last = e.last;
    let email = e.email;
    let phone = formatPhone(rng, e.digits);
    let which = "exact";
    if (known && !loopFor.has(e.key)) {
      const forced = FIRST_CASES.indexOf(FIRST_CASES[n] ?? "");
      const r = forced >= 0 ? ([0.05, 0.15, 0.2, 0.23][forced] ?? 1) : rng.float();
      if (r < 0.12) {
        email = typo(rng, email.split("@")[0] ?? "") + "@" + (email.split("@")[1] ?? "");
        which = "emailTypo";
      } else if (r < 0.17) {
        last = typo(rng, last);
        which = "nameTypo";
      } else if (r < 0.22) {
        email = `${slug(first)}${rng.int(100)}@work-mail.test`;
        which = "phoneOnly";
      } else if (r < 0.24) {
        email = `${slug(first)}.${slug(last)}.${rng.int(1000)}@other-mail.test`;
        phone = formatPhone(rng, `${e.place.areaCodes[0]}555${String(9000 + rng.int(999)).padStart(4, "0")}`);
        which = "fuzzyOnly";
      }
    } else if (!known) which = "tmsOnly";
    cases[which]?.push(`dotloop:transaction:${id}`);
    // The agent typed the price into the loop too; now and then not the CRM's.
    let price = priceOf.get(e.key) ?? 250_000 + rng.int(500) * 1_000;
    if (known && which === "exact" && (n === 4 || rng.chance(0.05))) {
      price += 5_000;
      cases.priceConflict = [...(cases.priceConflict ?? []), `dotloop:transaction:${id}`];
    }
    const pid = ++participantId;
    dotloop.push({
      kind: "loop",
      id: String(id),
      data: {
        id,
        profileId: 4711,
        name: `${e.number} ${e.street} ${e.suffix}, ${e.place.city}`,
        status: "UNDER_CONTRACT",
        transactionType: "PURCHASE_OFFER",
        totalTaskCount: 0,
        completedTaskCount: 0,
        created: stamp,
        updated: stamp,
        loopUrl: `https://www.dotloop.com/m/loop?viewId=${id}`,
        details: {
          "Property Address": {
            "Street Number": e.number,
            "Street Name": `${e.street} ${e.suffix}`,
            City: e.place.city,
            "State/Prov": e.place.state,
            "Zip/Postal Code": e.place.zip,
          },
          Financials: { "Purchase/Sale Price": String(price) },
        },
      },
    });
    // The buyer's own (current) address, as agents type it into the loop's contact.
    const home = {
      "street number": e.number,
      "street name": `${e.street} ${e.suffix}`,
      city: e.place.city,
      "state/prov": e.place.state,
      "zip/postal code": e.place.zip,
    };
    dotloop.push({
      kind: "participant",
      id: String(pid),
      data: { id: pid, loopId: id, fullName: `${first} ${last}`, email, role: "BUYER", phone, ...home },
    });
    dotloop.push({
      kind: "participant",
      id: String(++participantId),
      data: { id: participantId, loopId: id, fullName: "Alex Kim", email: "alex@example-brokerage.test", role: "BUYING_AGENT" },
    });
    truth[`dotloop:person:${id}:buyer`] = e.key;
  }

  // Accounting customers: clients with transactions, and a tenth only accounting knows.
  let customerId = 7_000;
  const known = loopClients.filter((c) => c.known).map((c) => c.e);
  const fromDeals = Math.min(Math.round(sizes.customers * 0.9), known.length);
  const customers = [...known.slice(0, fromDeals).map((e) => ({ e, only: false }))];
  while (customers.length < sizes.customers) customers.push({ e: entity(rng, extra++), only: true });
  for (const { e, only } of customers) {
    const id = String(++customerId);
    qbo.push({
      kind: "qbo:Customer",
      id,
      data: {
        Id: id,
        SyncToken: "0",
        domain: "QBO",
        sparse: false,
        Active: true,
        DisplayName: `${e.first} ${e.last} (${id})`,
        GivenName: e.first,
        FamilyName: e.last,
        PrimaryEmailAddr: { Address: rng.chance(0.1) ? ` ${e.email.toUpperCase()} ` : e.email },
        PrimaryPhone: { FreeFormNumber: formatPhone(rng, e.digits) },
        BillAddr: {
          Line1: `${e.number} ${e.street} ${e.suffix}`,
          City: e.place.city,
          CountrySubDivisionCode: e.place.state,
          PostalCode: e.place.zip,
        },
        MetaData: { CreateTime: stamp, LastUpdatedTime: stamp },
      },
    });
    truth[`quickbooks:customer:${id}`] = e.key;
    if (only) cases.accountingOnly?.push(`quickbooks:customer:${id}`);
  }

  return {
    records: { followupboss: fub, dotloop, quickbooks: qbo },
    sequences: {
      followupboss: { "seq:person": fubId, "seq:deal": dealId },
      dotloop: { "seq:loop": loopId, "seq:participant": participantId },
      quickbooks: { "seq:qbo:Customer": customerId },
    },
    truth,
    cases,
  };
}
