// A vitest reporter for `node scripts/test-shards.mjs --record`: each test file's whole time
// (environment, setup, import, tests and hooks) in seconds, written as JSON to DEALWIRE_DURATIONS_OUT.
import { writeFileSync } from "node:fs";
import path from "node:path";

export default class DurationsReporter {
  seconds = {};

  onTestModuleEnd(module) {
    const d = module.diagnostic();
    const ms = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
    this.seconds[path.relative(process.cwd(), module.moduleId).split(path.sep).join("/")] = Math.round(ms / 100) / 10;
  }

  onTestRunEnd() {
    if (process.env.DEALWIRE_DURATIONS_OUT) writeFileSync(process.env.DEALWIRE_DURATIONS_OUT, JSON.stringify(this.seconds));
  }
}
