// The local development secrets: `.dev.vars` for the hub and `sandbox/.dev.vars` for the sandbox,
// created from the committed `.dev.vars.example` when missing. An existing file is never changed
// (a developer may have edited it), but one that lacks names the example has gained since it was
// copied is named, with the names: a vendor whose secret is missing fails in ways far from here
// (the sandbox's MLS answers 401 to a hub that holds no RESO client secret).
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";

const names = (file) => new Set([...readFileSync(file, "utf8").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

/** Creates the missing files; returns one line per existing file that lacks names of the example. */
export function ensureDevVars(root = ".") {
  const example = path.join(root, ".dev.vars.example");
  const wanted = names(example);
  const notes = [];
  for (const target of [".dev.vars", "sandbox/.dev.vars"]) {
    const file = path.join(root, target);
    if (!existsSync(file)) {
      copyFileSync(example, file);
      notes.push(`created ${target} from .dev.vars.example (development secrets only)`);
      continue;
    }
    const have = names(file);
    const missing = [...wanted].filter((n) => !have.has(n));
    if (missing.length)
      notes.push(
        `${target} lacks ${missing.join(", ")} (in .dev.vars.example since it was copied): add them, or delete ${target} to start again from the example`,
      );
  }
  return notes;
}
