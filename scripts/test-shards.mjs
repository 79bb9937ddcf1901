// `npm test`'s test run: the suite split into shards that run side by side, each its own vitest
// process with its own workerd runtime and vendor sandbox, so no two shards share any state.
// Within a shard the workerd files still run one at a time (vitest.config.ts says why), and much
// of a file's time is waiting (on the sandbox, queue batches, timers), so on 2 cores three shards
// keep the CPU busier than two: the whole suite in 520 s against 675 s, run back to back on this
// machine (idle CPU 20 % against 34 %).
//
// Files go to shards by how long each took in a recorded run (test/durations.json), longest
// first onto the shard with the least time so far, so the shards end together: vitest's own
// `--shard` splits by count, and a few long files left one shard a minute behind the others. A file
// the record does not know counts as the median. `--record` runs the suite and rewrites the record.
//
// DEALWIRE_TEST_SHARDS sets the count (default 3). Other arguments go to every vitest process; with
// a file filter among them, vitest's own `--shard` splits what the filter selects.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { planShards } from "./lib/shard-plan.mjs";

const RECORD_FILE = "test/durations.json";
const shards = Math.max(1, Number(process.env.DEALWIRE_TEST_SHARDS) || 3);
const record = process.argv.includes("--record");
const extra = process.argv.slice(2).filter((a) => a !== "--record");
const filtered = extra.some((a) => !a.startsWith("-"));

const files = readdirSync("test", { recursive: true })
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => `test/${f.split(path.sep).join("/")}`)
  .sort();
let known = {};
try {
  known = JSON.parse(readFileSync(RECORD_FILE, "utf8"));
} catch {}
// A shard the plan leaves empty is not started: vitest given no file would run them all.
const plan = shards > 1 && !filtered ? planShards(files, known, shards) : null;
const reports = record ? mkdtempSync(path.join(tmpdir(), "dealwire-durations-")) : null;

function run(index) {
  if (plan && !plan[index - 1]?.length) return Promise.resolve(0);
  return new Promise((resolve) => {
    const selection = plan ? (plan[index - 1] ?? []) : shards > 1 ? [`--shard=${index}/${shards}`] : [];
    const reporting = reports ? ["--reporter=default", "--reporter=./scripts/lib/durations-reporter.mjs"] : [];
    const args = ["vitest", "run", ...selection, ...reporting, ...extra];
    const child = spawn("npx", args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        FORCE_COLOR: process.env.FORCE_COLOR ?? "0",
        ...(reports ? { DEALWIRE_DURATIONS_OUT: `${reports}/shard-${index}.json` } : {}),
      },
    });
    const prefix = shards > 1 ? `[shard ${index}/${shards}] ` : "";
    const relay = (stream, out) => {
      let rest = "";
      stream.on("data", (d) => {
        const lines = (rest + d).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) out.write(`${prefix}${line}\n`);
      });
      stream.on("end", () => rest && out.write(`${prefix}${rest}\n`));
    };
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const started = Date.now();
const codes = await Promise.all(Array.from({ length: shards }, (_, i) => run(i + 1)));
const failed = codes.map((c, i) => (c === 0 ? null : i + 1)).filter((x) => x !== null);
if (failed.length) console.error(`test shards failed: ${failed.join(", ")} of ${shards}`);
console.log(`test shards: ${shards}, ${Math.round((Date.now() - started) / 1000)} s`);

if (reports) {
  const measured = {};
  for (let i = 1; i <= shards; i++) {
    try {
      Object.assign(measured, JSON.parse(readFileSync(`${reports}/shard-${i}.json`, "utf8")));
    } catch (err) {
      console.error(`shard ${i} wrote no durations: ${err}`);
    }
  }
  rmSync(reports, { recursive: true, force: true });
  const sorted = Object.fromEntries(Object.entries(measured).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(RECORD_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`${RECORD_FILE}: ${Object.keys(sorted).length} files`);
}
process.exit(failed.length ? 1 : 0);
