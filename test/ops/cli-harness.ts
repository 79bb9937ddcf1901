/** The `dealwire` CLI as an operator runs it, talking HTTP to the hub (here the hub's own app in workerd). */
import { env } from "cloudflare:workers";
import { runCli, type Io } from "../../scripts/cli/run";
import { hub } from "./helpers";

export type CliRun = (...argv: string[]) => Promise<{ code: number; out: string; err: string }>;

/**
 * A `dealwire` bound to the hub running with `appEnv`. `shortWaits` caps the CLI's own waits
 * (progress polling) at 200 ms, for commands that follow a long-running job.
 */
export function cliAgainst(appEnv: Env = env, opts: { shortWaits?: boolean } = {}): CliRun {
  return async (...argv) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      fetch: async (url, init) => hub.request(url, init, appEnv),
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { DEALWIRE_URL: "http://hub.test", DEALWIRE_OPS_TOKEN: appEnv.OPS_TOKEN },
      ...(opts.shortWaits ? { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 200))) } : {}),
    };
    const code = await runCli(argv, io);
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
}
