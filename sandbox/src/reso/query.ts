/**
 * The OData system query options the simulated MLS understands, compiled to SQL over its listing
 * table: `$filter` (eq ne gt ge lt le, `in`, `and`/`or`, parentheses; string, number, date-time
 * and RESO enum literals such as `org.reso.metadata.enums.StandardStatus'Active'`), `$orderby`,
 * `$top`, `$skip`, `$select`, `$count` and the server's own `$skiptoken`. Anything else is a 400
 * with an OData error body, as RESO Web API Core asks of a server that cannot answer a query.
 */

export type Literal = string | number | boolean | null;
export type Expr =
  | { kind: "cmp"; field: string; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; value: Literal }
  | { kind: "in"; field: string; values: Literal[] }
  | { kind: "and" | "or"; left: Expr; right: Expr };

export class QueryError extends Error {}

const TOKEN =
  /\s*(\(|\)|,|'(?:[^']|'')*'|[A-Za-z_][\w.]*'(?:[^']|'')*'|\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})|\d{4}-\d{2}-\d{2}|-?\d+(?:\.\d+)?|[A-Za-z_][\w/]*)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m?.[1]) throw new QueryError(`cannot parse $filter near '${text.slice(at, at + 20)}'`);
    out.push(m[1]);
    at = TOKEN.lastIndex;
  }
  return out;
}

function literal(tok: string | undefined): Literal {
  if (tok === undefined) throw new QueryError("$filter ends where a value was expected");
  if (tok === "null") return null;
  if (tok === "true" || tok === "false") return tok === "true";
  const quoted = /^(?:[A-Za-z_][\w.]*)?'((?:[^']|'')*)'$/.exec(tok);
  if (quoted) return (quoted[1] ?? "").replace(/''/g, "'");
  if (/^-?\d+(?:\.\d+)?$/.test(tok)) return Number(tok);
  if (/^\d{4}-\d{2}-\d{2}/.test(tok)) return tok; // Edm.Date / Edm.DateTimeOffset literal
  throw new QueryError(`'${tok}' is not a literal`);
}

const OPS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);

/** Parses a `$filter` expression. */
export function parseFilter(text: string): Expr {
  const toks = tokenize(text);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  function primary(): Expr {
    if (peek() === "(") {
      next();
      const e = or();
      if (next() !== ")") throw new QueryError("unbalanced parentheses in $filter");
      return e;
    }
    const field = next();
    if (!field || !/^[A-Za-z_]\w*$/.test(field)) throw new QueryError(`expected a field name in $filter, got '${field ?? ""}'`);
    const op = next();
    if (op === "in") {
      if (next() !== "(") throw new QueryError("'in' needs a parenthesised list");
      const values: Literal[] = [];
      for (;;) {
        values.push(literal(next()));
        const sep = next();
        if (sep === ")") break;
        if (sep !== ",") throw new QueryError("malformed 'in' list");
      }
      return { kind: "in", field, values };
    }
    if (!op || !OPS.has(op)) throw new QueryError(`unsupported operator '${op ?? ""}' in $filter`);
    return { kind: "cmp", field, op: op as "eq", value: literal(next()) };
  }
  function and(): Expr {
    let left = primary();
    while (peek() === "and") {
      next();
      left = { kind: "and", left, right: primary() };
    }
    return left;
  }
  function or(): Expr {
    let left = and();
    while (peek() === "or") {
      next();
      left = { kind: "or", left, right: and() };
    }
    return left;
  }
  const e = or();
  if (i !== toks.length) throw new QueryError(`unexpected '${toks[i] ?? ""}' in $filter`);
  return e;
}

/** How a field is reached in SQL and how its literals are compared. */
export interface Column {
  sql: string;
  /** Converts a literal to the column's stored form (timestamps → epoch ms). */
  value?(v: Literal): Literal;
}

export function compile(e: Expr, column: (field: string) => Column | null, params: Literal[]): string {
  if (e.kind !== "cmp" && e.kind !== "in") {
    return `(${compile(e.left, column, params)} ${e.kind.toUpperCase()} ${compile(e.right, column, params)})`;
  }
  const col = column(e.field);
  if (!col) throw new QueryError(`'${e.field}' is not a field of this resource`);
  const conv = (v: Literal) => (col.value ? col.value(v) : v);
  if (e.kind === "in") {
    params.push(...e.values.map(conv));
    return `${col.sql} IN (${e.values.map(() => "?").join(", ")})`;
  }
  if (e.value === null) return e.op === "eq" ? `${col.sql} IS NULL` : `${col.sql} IS NOT NULL`;
  const sqlOp = { eq: "=", ne: "!=", gt: ">", ge: ">=", lt: "<", le: "<=" }[e.op];
  params.push(conv(e.value));
  return `${col.sql} ${sqlOp} ?`;
}

export interface QueryOptions {
  filter: Expr | null;
  orderBy: { field: string; desc: boolean } | null;
  top: number | null;
  skip: number;
  select: string[] | null;
  count: boolean;
  skipToken: string | null;
}

const KNOWN = new Set(["$filter", "$orderby", "$top", "$skip", "$select", "$count", "$skiptoken", "$expand", "$format"]);

/** Reads the system query options of a request URL. */
export function readOptions(url: URL): QueryOptions {
  const p = url.searchParams;
  for (const k of p.keys()) {
    if (k.startsWith("$") && !KNOWN.has(k)) throw new QueryError(`query option '${k}' is not supported`);
  }
  if (p.has("$expand")) throw new QueryError("$expand is not supported by this server");
  const int = (name: string): number | null => {
    const v = p.get(name);
    if (v === null) return null;
    if (!/^\d+$/.test(v)) throw new QueryError(`${name} must be a non-negative integer`);
    return Number(v);
  };
  const ob = p.get("$orderby");
  let orderBy: QueryOptions["orderBy"] = null;
  if (ob !== null) {
    const m = /^\s*([A-Za-z_]\w*)(?:\s+(asc|desc))?\s*$/.exec(ob);
    if (!m?.[1]) throw new QueryError("$orderby takes one field, optionally asc or desc");
    orderBy = { field: m[1], desc: m[2] === "desc" };
  }
  const sel = p.get("$select");
  const filter = p.get("$filter");
  return {
    filter: filter === null || filter.trim() === "" ? null : parseFilter(filter),
    orderBy,
    top: int("$top"),
    skip: int("$skip") ?? 0,
    select:
      sel === null
        ? null
        : sel
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
    count: p.get("$count") === "true",
    skipToken: p.get("$skiptoken"),
  };
}

/** The `(sortValue, key)` position after which a `$skiptoken` page starts, and when it was issued. */
export interface SkipToken {
  after: [Literal, string];
  issuedAt: number;
}

export function encodeSkipToken(t: SkipToken): string {
  return btoa(JSON.stringify([...t.after, t.issuedAt])).replace(/=+$/, "");
}

export function decodeSkipToken(s: string): SkipToken {
  try {
    const v = JSON.parse(atob(s)) as unknown;
    if (Array.isArray(v) && v.length === 3 && typeof v[1] === "string" && typeof v[2] === "number")
      return { after: [v[0] as Literal, v[1]], issuedAt: v[2] };
  } catch {
    // reported below
  }
  throw new QueryError("$skiptoken is not one this server issued");
}
