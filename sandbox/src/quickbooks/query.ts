/**
 * The subset of the QuickBooks query language the hub needs:
 * `SELECT * | COUNT(*) FROM <Entity> [WHERE f op v AND ...] [ORDERBY f [ASC|DESC]]
 * [STARTPOSITION n] [MAXRESULTS n]` with =, <, >, <=, >=, LIKE ('%' wildcard) and IN (...).
 * AND only, like the real one. Strings compare case-insensitively; `\'` escapes a quote.
 */

export interface Condition {
  field: string;
  op: "=" | "<" | ">" | "<=" | ">=" | "LIKE" | "IN";
  values: string[];
}

export interface Query {
  entity: string;
  count: boolean;
  where: Condition[];
  orderBy: { field: string; desc: boolean } | null;
  start: number;
  max: number;
}

type Token = { kind: "word" | "string" | "op" | "punct"; text: string };

function tokenize(q: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      let s = "";
      i++;
      while (i < q.length && q.charAt(i) !== "'") {
        if (q.charAt(i) === "\\" && i + 1 < q.length) i++;
        s += q.charAt(i++);
      }
      if (i >= q.length) return "unterminated string";
      i++;
      out.push({ kind: "string", text: s });
    } else if ("<>=".includes(ch)) {
      const two = q.slice(i, i + 2);
      const op = two === "<=" || two === ">=" ? two : ch;
      out.push({ kind: "op", text: op });
      i += op.length;
    } else if ("(),*".includes(ch)) {
      out.push({ kind: "punct", text: ch });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.\-:+]+/.exec(q.slice(i));
      if (!m) return `unexpected character ${ch}`;
      out.push({ kind: "word", text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Parses a query; a string result is the parser's complaint. */
export function parseQuery(q: string): Query | string {
  const toks = tokenize(q);
  if (typeof toks === "string") return toks;
  let i = 0;
  const peek = () => toks[i];
  const kw = (w: string) => peek()?.kind === "word" && peek()?.text.toUpperCase() === w;
  const take = () => toks[i++];
  if (!kw("SELECT")) return "expected SELECT";
  take();
  let count = false;
  if (peek()?.text === "*") take();
  else if (kw("COUNT")) {
    take();
    if (take()?.text !== "(" || take()?.text !== "*" || take()?.text !== ")") return "expected count(*)";
    count = true;
  } else {
    while (peek() && !kw("FROM")) take(); // a field list reads like *
  }
  if (!kw("FROM")) return "expected FROM";
  take();
  const entity = take();
  if (entity?.kind !== "word") return "expected an entity after FROM";
  const query: Query = { entity: entity.text, count, where: [], orderBy: null, start: 1, max: 100 };
  if (kw("WHERE")) {
    take();
    for (;;) {
      const field = take();
      if (field?.kind !== "word") return "expected a field in WHERE";
      const opTok = take();
      const op = opTok?.kind === "op" ? opTok.text : opTok?.text.toUpperCase();
      if (op === "IN") {
        if (take()?.text !== "(") return "expected ( after IN";
        const values: string[] = [];
        while (peek() && peek()?.text !== ")") {
          const v = take();
          if (v?.kind === "string" || v?.kind === "word") values.push(v.text);
        }
        if (take()?.text !== ")") return "expected ) after IN list";
        query.where.push({ field: field.text, op: "IN", values });
      } else if (op === "=" || op === "<" || op === ">" || op === "<=" || op === ">=" || op === "LIKE") {
        const v = take();
        if (v?.kind !== "string" && v?.kind !== "word") return `expected a value after ${op}`;
        query.where.push({ field: field.text, op, values: [v.text] });
      } else {
        return `unsupported operator ${String(opTok?.text)}`;
      }
      if (!kw("AND")) break;
      take();
    }
  }
  if (kw("ORDERBY") || kw("ORDER")) {
    if (take()?.text.toUpperCase() === "ORDER" && kw("BY")) take();
    const f = take();
    if (f?.kind !== "word") return "expected a field after ORDERBY";
    const desc = kw("DESC");
    if (kw("DESC") || kw("ASC")) take();
    query.orderBy = { field: f.text, desc };
  }
  for (const key of ["STARTPOSITION", "MAXRESULTS"]) {
    if (!kw(key)) continue;
    take();
    const n = Number(take()?.text);
    if (!Number.isInteger(n) || n < 1) return `${key} must be a positive integer`;
    if (key === "STARTPOSITION") query.start = n;
    else query.max = Math.min(1000, n);
  }
  if (peek()) return `unexpected ${String(peek()?.text)}`;
  return query;
}

function fieldValue(rec: Record<string, unknown>, path: string): unknown {
  let v: unknown = rec;
  for (const part of path.split(".")) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  if (typeof v === "object" && v !== null && "value" in v) return (v as { value: unknown }).value;
  return v;
}

function compare(a: unknown, b: string): number {
  const an = typeof a === "number" ? a : Number(a);
  if (typeof a !== "boolean" && a !== "" && Number.isFinite(an) && b.trim() !== "" && Number.isFinite(Number(b))) return an - Number(b);
  const at = typeof a === "string" && /^\d{4}-\d\d-\d\d/.test(a) ? Date.parse(a) : NaN;
  const bt = /^\d{4}-\d\d-\d\d/.test(b) ? Date.parse(b) : NaN;
  if (!Number.isNaN(at) && !Number.isNaN(bt)) return at - bt;
  const as = String(a ?? "").toLowerCase();
  const bs = b.toLowerCase();
  return as < bs ? -1 : as > bs ? 1 : 0;
}

function test(rec: Record<string, unknown>, c: Condition): boolean {
  const v = fieldValue(rec, c.field);
  const first = c.values[0] ?? "";
  switch (c.op) {
    case "=":
      return compare(v, first) === 0;
    case "<":
      return compare(v, first) < 0;
    case ">":
      return compare(v, first) > 0;
    case "<=":
      return compare(v, first) <= 0;
    case ">=":
      return compare(v, first) >= 0;
    case "IN":
      return c.values.some((x) => compare(v, x) === 0);
    case "LIKE": {
      const re = new RegExp(
        `^${first
          .split("%")
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
        "i",
      );
      return re.test(String(v ?? ""));
    }
  }
}

/** Runs a parsed query over records: filtered, ordered, then the requested window. */
export function runQuery<T extends Record<string, unknown>>(records: T[], q: Query): { page: T[]; total: number } {
  const hits = records.filter((r) => q.where.every((c) => test(r, c)));
  if (q.orderBy) {
    const { field, desc } = q.orderBy;
    hits.sort((a, b) => {
      const r = compare(fieldValue(a, field), String(fieldValue(b, field) ?? ""));
      return desc ? -r : r;
    });
  }
  return { page: hits.slice(q.start - 1, q.start - 1 + q.max), total: hits.length };
}
