#!/usr/bin/env node
// The `dealwire` operator CLI (package bin). The commands live in run.ts, loaded through tsx.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("./run.ts");
const code = await runCli(process.argv.slice(2), {
  fetch: (url, init) => fetch(url, init),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
process.exit(code);
