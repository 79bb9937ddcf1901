/**
 * The mapping audit, as pure functions: sample records of each system beside the canonical record
 * they make and what the hub would write to each other system, with what needs a decision —
 * vendor fields nobody maps (and which declared field they look like), mapped fields the vendor
 * account lacks, type mismatches, required fields left empty. Every vendor value shown is masked.
 */
import { csvCell } from "../lib/csv";
import type { FieldDecl, FieldsConfig } from "../config/fields";
import { readFields, type CustomValues } from "./custom-fields";
import { maskSample } from "./mask";
import { isSimilarKey } from "./similar";

export type AuditSystem = "followupboss" | "dotloop" | "skyslope" | "quickbooks";

/** One sample record as the vendor holds it: its brokerage-field candidates, by the vendor's key. */
export interface VendorSample {
  system: AuditSystem;
  object: string;
  id: string;
  /** Vendor key (`customEarnestMoney`, `Financials / Earnest Money Amount`) → raw value. */
  fields: Readonly<Record<string, unknown>>;
}

/** The fields a vendor account defines (FUB's custom fields, QuickBooks' sales custom fields). */
export interface AccountFields {
  system: AuditSystem;
  object: string;
  defined: ReadonlyArray<{ key: string; type?: string }>;
}

export type FindingKind = "unmapped" | "missing_in_account" | "type_mismatch" | "required_empty" | "unreachable";

export interface Finding {
  kind: FindingKind;
  system: AuditSystem | "hub";
  /** The vendor's key, or the declared field's name. */
  field: string;
  detail: string;
  /** Declared fields the key looks like (for `unmapped`). */
  suggestions?: string[];
}

export interface AuditRow {
  system: AuditSystem;
  object: string;
  id: string;
  fields: Array<{ key: string; value: string; mappedTo: string | null }>;
  /** The canonical values (masked as the vendor's are). */
  canonical: Record<string, string>;
  /** System → the body the real push code would send for these values. */
  wouldWrite: Record<string, unknown>;
}

export interface AuditReport {
  generatedAt: string;
  systems: string[];
  rows: AuditRow[];
  findings: Finding[];
}

/** Where a declared field sits in one system's object, as the samples key it; null when it does not. */
export function placeKey(decl: FieldDecl, system: AuditSystem, object: string): string | null {
  switch (system) {
    case "followupboss":
      return (object === "person" ? decl.followupboss?.person : decl.followupboss?.deal) ?? null;
    case "dotloop":
      return decl.dotloop ? `${decl.dotloop.section} / ${decl.dotloop.field}` : null;
    case "skyslope":
      return decl.skyslope ? `customFields.${decl.skyslope.field}` : null;
    case "quickbooks":
      return decl.quickbooks?.customField !== undefined ? `CustomField: ${decl.quickbooks.customField}` : null;
  }
}

/** A key compared without its vendor prefix (`customEarnestMoney` → `EarnestMoney`). */
function bare(key: string): string {
  return key
    .replace(/^custom(?=[A-Z0-9])/, "")
    .replace(/^CustomField: /, "")
    .replace(/^customFields\./, "")
    .replace(/^.* \/ /, "");
}

/** Declared fields whose name or label looks like a vendor key. */
export function suggestFor(fields: FieldsConfig, key: string): string[] {
  return Object.entries(fields)
    .filter(([name, d]) => isSimilarKey(name, bare(key)) || (d.label !== undefined && isSimilarKey(d.label, bare(key))))
    .map(([name]) => name);
}

/** Vendor field types a declared type can live in (FUB: text, number, date, dropdown). */
const FITS: Readonly<Record<string, readonly string[]>> = {
  text: ["text", "dropdown"],
  number: ["number", "text"],
  money: ["number", "text"],
  date: ["date", "text"],
  phone: ["text"],
  email: ["text"],
  enum: ["dropdown", "text"],
  boolean: ["dropdown", "text"],
};

export type Writers = Partial<Record<AuditSystem, (values: CustomValues) => unknown>>;

/**
 * The audit of samples against the declared fields. `writers` are the real push code's pure body
 * builders, one per connected system: what each would send is shown, nothing is sent.
 */
export function auditMapping(input: {
  fields: FieldsConfig;
  samples: readonly VendorSample[];
  accounts: readonly AccountFields[];
  writers: Writers;
  /** Vendor keys the hub's own mapping uses (the CRM's transaction-id field), by system: not unmapped. */
  standard?: Partial<Record<AuditSystem, Readonly<Record<string, string>>>>;
  /** Systems that could not be sampled, with why (shown, not hidden). */
  unreachable?: ReadonlyArray<{ system: AuditSystem; reason: string }>;
  now: number;
}): AuditReport {
  const { fields, samples, accounts, writers } = input;
  const findings: Finding[] = [];
  const unmappedSeen = new Set<string>();
  const standardOf = (system: AuditSystem, key: string): string | undefined => input.standard?.[system]?.[key];
  const unmapped = (system: AuditSystem, object: string, key: string, why: string) => {
    const id = `${system}:${object}:${key}`;
    if (unmappedSeen.has(id) || standardOf(system, key)) return;
    unmappedSeen.add(id);
    const suggestions = suggestFor(fields, key);
    findings.push({
      kind: "unmapped",
      system,
      field: key,
      detail: `${object} field ${why}; no declared field maps it`,
      ...(suggestions.length ? { suggestions } : {}),
    });
  };

  for (const acct of accounts) {
    const defined = new Map(acct.defined.map((d) => [d.key, d]));
    for (const [name, decl] of Object.entries(fields)) {
      const key = placeKey(decl, acct.system, acct.object);
      if (!key) continue;
      const def = defined.get(key);
      if (!def) {
        findings.push({
          kind: "missing_in_account",
          system: acct.system,
          field: name,
          detail: `mapped to ${acct.object} field ${key}, which the ${acct.system} account does not define`,
        });
      } else if (def.type && !(FITS[decl.type] ?? []).includes(def.type)) {
        findings.push({
          kind: "type_mismatch",
          system: acct.system,
          field: name,
          detail: `declared ${decl.type}, but ${acct.system} holds ${key} as ${def.type}`,
        });
      }
    }
    for (const d of acct.defined) {
      const mapped = Object.values(fields).some((decl) => placeKey(decl, acct.system, acct.object) === d.key);
      if (!mapped) unmapped(acct.system, acct.object, d.key, `defined in the account${d.type ? ` (${d.type})` : ""}`);
    }
  }

  const rows: AuditRow[] = [];
  for (const s of samples) {
    const keyOf = new Map<string, string>();
    for (const [name, decl] of Object.entries(fields)) {
      const key = placeKey(decl, s.system, s.object);
      if (key) keyOf.set(key, name);
    }
    const read = readFields(fields, (decl) => {
      const key = placeKey(decl, s.system, s.object);
      return key ? s.fields[key] : undefined;
    });
    for (const issue of read.issues)
      findings.push({
        kind: "type_mismatch",
        system: s.system,
        field: issue.field,
        detail: `${s.object} ${s.id}: ${issue.message.replace(/"[^"]*"/g, (q) => `"${maskSample(q.slice(1, -1))}"`)}`,
      });
    for (const [name, decl] of Object.entries(fields)) {
      if (!decl.required || !placeKey(decl, s.system, s.object)) continue;
      if (read.values[name] === undefined)
        findings.push({
          kind: "required_empty",
          system: s.system,
          field: name,
          detail: `${s.object} ${s.id} has no ${decl.label ?? name}${decl.default !== undefined ? " (the default is used on create)" : ""}`,
        });
    }
    for (const [key, value] of Object.entries(s.fields)) {
      if (!keyOf.has(key) && value !== null && value !== undefined && value !== "") unmapped(s.system, s.object, key, "holds values");
    }
    const wouldWrite: Record<string, unknown> = {};
    for (const [system, write] of Object.entries(writers)) {
      if (system === s.system || !write) continue;
      wouldWrite[system] = maskDeep(write(read.values));
    }
    rows.push({
      system: s.system,
      object: s.object,
      id: s.id,
      fields: Object.entries(s.fields).map(([key, v]) => ({
        key,
        value: maskSample(v),
        mappedTo: keyOf.get(key) ?? standardOf(s.system, key) ?? null,
      })),
      canonical: Object.fromEntries(Object.entries(read.values).map(([k, v]) => [k, maskSample(v)])),
      wouldWrite,
    });
  }
  for (const u of input.unreachable ?? []) findings.push({ kind: "unreachable", system: u.system, field: "*", detail: u.reason });
  return {
    generatedAt: new Date(input.now).toISOString(),
    systems: [...new Set([...samples.map((s) => s.system), ...accounts.map((a) => a.system)])],
    rows,
    findings,
  };
}

/** Every value of a would-write body masked as a sample is (a `name` names a vendor field: kept). */
function maskDeep(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => maskDeep(x));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x, k)]));
  if (key === "name" && typeof v === "string") return v;
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? maskSample(v) : v;
}

const mdCell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The report as Markdown, for the brokerage to sign off. */
export function auditMarkdown(r: AuditReport): string {
  const out = [
    `# Mapping audit`,
    ``,
    `Generated ${r.generatedAt} from ${r.systems.join(", ") || "no system"}. Values are masked.`,
    ``,
    `## Findings`,
    ``,
  ];
  if (r.findings.length === 0) out.push("None.");
  else {
    out.push("| kind | system | field | detail | suggestions |", "|---|---|---|---|---|");
    for (const f of r.findings)
      out.push(`| ${f.kind} | ${f.system} | ${mdCell(f.field)} | ${mdCell(f.detail)} | ${mdCell((f.suggestions ?? []).join(", "))} |`);
  }
  out.push("", "## Sample records", "");
  for (const row of r.rows) {
    out.push(`### ${row.system} ${row.object} ${row.id}`, "", "| vendor field | value | maps to |", "|---|---|---|");
    for (const f of row.fields) out.push(`| ${mdCell(f.key)} | ${mdCell(f.value)} | ${f.mappedTo ?? "**unmapped**"} |`);
    out.push("", `Canonical: \`${JSON.stringify(row.canonical)}\``, "");
    for (const [system, body] of Object.entries(row.wouldWrite)) out.push(`Would write to ${system}: \`${JSON.stringify(body)}\``, "");
  }
  return `${out.join("\n")}\n`;
}

/** The report as CSV: one line per sample field, then one per finding. */
export function auditCsv(r: AuditReport): string {
  const lines = ["section,system,object,id,field,value,maps_to,kind,detail,suggestions"];
  for (const row of r.rows)
    for (const f of row.fields)
      lines.push(
        ["field", row.system, row.object, row.id, f.key, f.value, f.mappedTo ?? "", f.mappedTo ? "mapped" : "unmapped", "", ""]
          .map(csvCell)
          .join(","),
      );
  for (const f of r.findings)
    lines.push(["finding", f.system, "", "", f.field, "", "", f.kind, f.detail, (f.suggestions ?? []).join(" ")].map(csvCell).join(","));
  return `${lines.join("\n")}\n`;
}
