// Rewrites zod classic schemas in src/ (method chains) as zod/mini (functions and checks), using
// the type checker to tell a string's or array's .min() (minLength) from a number's (gte).
// `node scripts/zod-mini-codemod.mjs` after merging code that still imports "zod" in src/ (Biome
// refuses it there); then `npx tsc --noEmit -p tsconfig.json`. Idempotent: rewritten files no
// longer import "zod". It prints what it could not rewrite.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, ".."));
const require = createRequire(path.join(root, "package.json"));
const ts = require("typescript");

const configFile = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const program = ts.createProgram(parsed.fileNames, parsed.options);
const checker = program.getTypeChecker();

const WRAP = new Set(["optional", "nullable", "nullish", "readonly", "array"]);
const WITH_ARGS = new Set(["extend", "pick", "omit", "partial", "required", "catchall", "and", "or"]);
const CHECKS = new Set([
  "min",
  "max",
  "length",
  "int",
  "nonnegative",
  "positive",
  "negative",
  "nonpositive",
  "regex",
  "trim",
  "toLowerCase",
  "toUpperCase",
  "refine",
  "superRefine",
  "meta",
  "describe",
  "finite",
  "gte",
  "lte",
  "gt",
  "lt",
  "startsWith",
  "endsWith",
  "includes",
  "multipleOf",
]);
const ALL = new Set([...WRAP, ...WITH_ARGS, ...CHECKS, "default", "catch", "transform", "pipe", "strict"]);

const problems = [];

function zodKind(node) {
  const type = checker.getTypeAtLocation(node);
  const decls = (type.getSymbol() ?? type.aliasSymbol)?.getDeclarations() ?? [];
  const fromZod = decls.some((d) => d.getSourceFile().fileName.includes("node_modules/zod/"));
  if (!fromZod) return null;
  const name = (type.getSymbol() ?? type.aliasSymbol)?.getName() ?? "";
  return name;
}

function relZod(file) {
  let rel = path.relative(path.dirname(file), path.join(root, "src/lib/zod"));
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel;
}

function transformFile(sf) {
  const text = sf.text;
  const orig = (n) => text.slice(n.getStart(sf), n.getEnd());

  function rewrite(node) {
    // Children first.
    const start = node.getStart(sf);
    const edits = [];
    node.forEachChild((child) => {
      const t = rewrite(child);
      if (t !== orig(child)) edits.push([child.getStart(sf) - start, child.getEnd() - start, t]);
    });
    let out = text.slice(start, node.getEnd());
    for (const [a, b, t] of edits.reverse()) out = out.slice(0, a) + t + out.slice(b);

    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ALL.has(node.expression.name.text)) {
      const recvNode = node.expression.expression;
      if (ts.isIdentifier(recvNode) && recvNode.text === "z") return out;
      const kind = zodKind(recvNode);
      if (!kind) return out;
      const m = node.expression.name.text;
      const recv = rewrite(recvNode);
      const args = node.arguments.map((a) => rewrite(a));
      const A = args.join(", ");
      const isNum = /Number|Int|Float/.test(kind);
      const isStrOrArr = /String|Array|Email|URL|UUID|StringFormat|ISO|Set|Map/.test(kind) || kind === "ZodMiniString";
      const where = `${path.relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
      const check = (c) => `${recv}.check(${c})`;
      if (WRAP.has(m)) return `z.${m}(${recv})`;
      if (WITH_ARGS.has(m)) {
        if (m === "or") return `z.union([${recv}, ${A}])`;
        if (m === "and") return `z.intersection(${recv}, ${A})`;
        return args.length ? `z.${m}(${recv}, ${A})` : `z.${m}(${recv})`;
      }
      if (m === "default") return `z._default(${recv}, ${A})`;
      if (m === "catch") return `z.catch(${recv}, ${A})`;
      if (m === "transform") {
        // zod/mini's transform context has no addIssue: push the issue (with its input) instead.
        const fn = node.arguments[0];
        let body = A;
        if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parameters.length === 2) {
          const [v, ctx] = fn.parameters.map((p) => p.name.getText(sf));
          body = body.replaceAll(`${ctx}.addIssue({`, `${ctx}.issues.push({ input: ${v},`);
        }
        return `z.pipe(${recv}, z.transform(${body}))`;
      }
      if (m === "pipe") return `z.pipe(${recv}, ${A})`;
      if (m === "strict") {
        const o = /^z\s*\.\s*object\(/.exec(recv);
        if (o) return `z.strictObject(${recv.slice(o[0].length)}`;
        return `z.strictObject(${recv}.shape)`;
      }
      if (m === "finite") return recv;
      // z.int() is what classic's z.number().int() builds (the same issues for every input).
      if (m === "int") return recv === "z.number()" ? "z.int()" : check("z.int()");
      if (m === "min" || m === "max" || m === "length") {
        if (isNum) return check(`z.${m === "min" ? "gte" : m === "max" ? "lte" : "length"}(${A})`);
        if (isStrOrArr) return check(`z.${m === "min" ? "minLength" : m === "max" ? "maxLength" : "length"}(${A})`);
        problems.push(`${where}: .${m}() on ${kind}`);
        return out;
      }
      if (CHECKS.has(m)) return check(`z.${m}(${A})`);
      return out;
    }
    return out;
  }

  let result = rewrite(sf);
  // rewrite(sf) starts at the first token: keep any leading trivia of the file.
  result = text.slice(0, sf.getStart(sf)) + result + text.slice(sf.getEnd());
  result = result.replace(/\bz\s*\n\s*\./g, "z.");
  result = result.replace(/import (type )?\* as z from "zod";/, (_, t) => `import ${t ?? ""}* as z from "${relZod(sf.fileName)}";`);
  result = result
    .replace(/\bz\.ZodType\b/g, "z.ZodMiniType")
    .replace(/\bz\.ZodObject\b/g, "z.ZodMiniObject")
    .replace(/\bz\.ZodError\b/g, "z.core.$ZodError")
    .replace(/\bz\.ZodSafeParseResult\b/g, "z.util.SafeParseResult");
  return result;
}

let changed = 0;
for (const sf of program.getSourceFiles()) {
  const f = sf.fileName;
  if (!f.startsWith(path.join(root, "src/")) || f.endsWith(".d.ts")) continue;
  if (!/import (type )?\* as z from "zod";/.test(sf.text)) continue;
  const out = transformFile(sf);
  if (out !== sf.text) {
    writeFileSync(f, out);
    changed++;
  }
}
console.log(`rewrote ${changed} files`);
for (const p of problems) console.log("MANUAL", p);
