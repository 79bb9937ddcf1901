// `npm test`'s test run: the suite split into shards that run side by side, each its own vitest
// process with its own workerd runtime and vendor sandbox, so no two shards share any state.
// Within a shard the workerd files still run one at a time (vitest.config.ts says why), and much
// of a file's time is waiting (on the sandbox, queue batches, timers), so on 2 cores three shards
// keep the CPU busier than two: the whole suite in 520 s against 675 s, run back to back on this
// machine (idle CPU 20 % against 34 %). DEALWIRE_TEST_SHARDS sets the count (default 3); extra
// arguments go to every vitest process.
import { spawn } from "node:child_process";

const shards = Math.max(1, Number(process.env.DEALWIRE_TEST_SHARDS) || 3);
const extra = process.argv.slice(2);

function run(index) {
  return new Promise((resolve) => {
    const args = ["vitest", "run", ...(shards > 1 ? [`--shard=${index}/${shards}`] : []), ...extra];
    const child = spawn("npx", args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "0" },
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

const codes = await Promise.all(Array.from({ length: shards }, (_, i) => run(i + 1)));
const failed = codes.map((c, i) => (c === 0 ? null : i + 1)).filter((x) => x !== null);
if (failed.length) console.error(`test shards failed: ${failed.join(", ")} of ${shards}`);
process.exit(failed.length ? 1 : 0);
