/**
 * Precision / recall / F1 of the nightly fuzzy dedupe on third-party benchmark data (febrl 1–3,
 * splink fake_1000) and on 50,000 deterministic synthetic people, plus wall time.
 * Run: npm run eval:dedupe. Prints a table, then one JSON line with every figure.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { clusterPairs, findDuplicatePairs, type DedupePerson, type DedupeStats } from "../src/dedupe/index";
import { syntheticPeople } from "../test/dedupe/synthetic-people";

const repoRoot = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(repoRoot, "../shared/data");
const threshold = process.env.DEDUPE_THRESHOLD === undefined ? undefined : Number(process.env.DEDUPE_THRESHOLD);

function readCsv(file: string): Array<Record<string, string>> {
  const [header = "", ...lines] = readFileSync(path.join(dataDir, file), "utf8")
    .split(/\r?\n/)
    .filter((l) => l !== "");
  const cols = header.split(",").map((c) => c.trim());
  return lines.map((line) => {
    const cells = line.split(",").map((c) => c.trim());
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""]));
  });
}

const opt = (s: string | undefined): string | undefined => (s === undefined || s === "" ? undefined : s);

interface Labelled {
  people: DedupePerson[];
  entity: Map<string, string>;
}

/** Febrl: the true entity is the N of `rec-N-org` / `rec-N-dup-k`; ids given to the dedupe are opaque. */
function febrl(file: string): Labelled {
  const people: DedupePerson[] = [];
  const entity = new Map<string, string>();
  readCsv(file).forEach((row, i) => {
    const id = `r${i}`;
    entity.set(id, /rec-(\d+)/.exec(row.rec_id ?? "")?.[1] ?? id);
    const street = [row.street_number, row.address_1, row.address_2].filter((s) => s !== undefined && s !== "").join(" ");
    people.push({
      id,
      firstName: opt(row.given_name),
      lastName: opt(row.surname),
      address: { street: opt(street), city: opt(row.suburb), state: opt(row.state), zip: opt(row.postcode) },
      birthDate: opt(row.date_of_birth),
      // soc_sec_id is not mapped: a brokerage's golden record holds no national id, so febrl
      // measures names, birth date and address only. febrl 1–3 carry no phone_number column.
    });
  });
  return { people, entity };
}

function splink(): Labelled & { labelledMatches: number; labelledNonMatches: Array<[string, string]> } {
  const people: DedupePerson[] = [];
  const entity = new Map<string, string>();
  for (const row of readCsv("splink_fake_1000/fake_1000.csv")) {
    const id = row.unique_id ?? "";
    entity.set(id, row.cluster ?? id);
    const email = opt(row.email);
    people.push({
      id,
      firstName: opt(row.first_name),
      lastName: opt(row.surname),
      emails: email === undefined ? [] : [email],
      address: { city: opt(row.city) },
      birthDate: opt(row.dob),
    });
  }
  const labels = readCsv("splink_fake_1000/fake_1000_labels.csv");
  const labelledMatches = labels.filter((l) => l.clerical_match_score === "1.0").length;
  const labelledNonMatches = labels
    .filter((l) => l.clerical_match_score === "0.0")
    .map((l): [string, string] => [l.unique_id_l ?? "", l.unique_id_r ?? ""]);
  return { people, entity, labelledMatches, labelledNonMatches };
}

function truePairs(entity: Map<string, string>): number {
  const sizes = new Map<string, number>();
  for (const e of entity.values()) sizes.set(e, (sizes.get(e) ?? 0) + 1);
  let n = 0;
  for (const s of sizes.values()) n += (s * (s - 1)) / 2;
  return n;
}

interface Row {
  dataset: string;
  records: number;
  truePairs: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
  comparisons: number;
  ms: number;
  /** F1 of the pairs implied by merging connected proposals (a~b, b~c ⇒ a~c): secondary figure. */
  clusterF1: number;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

function evaluate(name: string, data: Labelled): Row & { pairs: Array<{ a: string; b: string }> } {
  let stats: DedupeStats | undefined;
  const t0 = performance.now();
  const pairs = findDuplicatePairs(data.people, { threshold, onStats: (s) => (stats = s) });
  const ms = performance.now() - t0;
  const tp = pairs.filter((p) => data.entity.get(p.a) === data.entity.get(p.b)).length;
  const all = truePairs(data.entity);
  const precision = pairs.length === 0 ? 1 : tp / pairs.length;
  const recall = all === 0 ? 1 : tp / all;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  let clusterPred = 0;
  let clusterTp = 0;
  for (const group of clusterPairs(pairs)) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        clusterPred++;
        if (data.entity.get(group[i] ?? "") === data.entity.get(group[j] ?? "")) clusterTp++;
      }
    }
  }
  const cp = clusterPred === 0 ? 1 : clusterTp / clusterPred;
  const cr = all === 0 ? 1 : clusterTp / all;
  const clusterF1 = cp + cr === 0 ? 0 : (2 * cp * cr) / (cp + cr);
  return {
    dataset: name,
    records: data.people.length,
    truePairs: all,
    predicted: pairs.length,
    tp,
    precision: round(precision),
    recall: round(recall),
    f1: round(f1),
    comparisons: stats?.comparisons ?? 0,
    ms: Math.round(ms),
    clusterF1: round(clusterF1),
    pairs,
  };
}

const rows: Row[] = [];
for (const n of [1, 2, 3]) rows.push(evaluate(`febrl${n}`, febrl(`febrl/dataset${n}.csv`)));
const sp = splink();
const spRow = evaluate("splink_fake_1000", sp);
rows.push(spRow);
const predicted = new Set(spRow.pairs.map((p) => `${p.a}|${p.b}`));
const hardNonMatchesPaired = sp.labelledNonMatches.filter(([l, r]) => predicted.has(`${l}|${r}`) || predicted.has(`${r}|${l}`)).length;
const synthetic = syntheticPeople(50_000, 20_260_426);
const heapBefore = process.memoryUsage().heapUsed;
rows.push(evaluate("synthetic_50000", synthetic));
// Rough: heap still held right after the one-shot run (GC may already have freed some).
const heapAfterMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6);

const cols = ["dataset", "records", "truePairs", "predicted", "tp", "precision", "recall", "f1", "comparisons", "ms", "clusterF1"] as const;
const table = [cols.join("\t"), ...rows.map((r) => cols.map((c) => String(r[c])).join("\t"))];
console.log(table.join("\n"));
console.log(
  `splink labels: ${sp.labelledMatches} labelled matches (cluster pairs: ${spRow.truePairs}); ${hardNonMatchesPaired} of ${sp.labelledNonMatches.length} labelled hard non-matches paired`,
);
const figures = Object.fromEntries(rows.map(({ dataset, ...r }) => [dataset, { ...r, pairs: undefined }]));
console.log(`synthetic_50000: ~${heapAfterMb} MB heap growth during the one-shot run`);
console.log(
  JSON.stringify({
    threshold: threshold ?? "default",
    ...figures,
    splinkHardNonMatchesPaired: hardNonMatchesPaired,
    synthetic50000HeapGrowthMb: heapAfterMb,
  }),
);
