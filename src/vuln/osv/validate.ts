// OSV record checks: the official JSON Schema (schemas/osv.schema.json, draft 2020-12) plus the linter-level rules we can check offline.
// The schema is compiled ahead of time (ajv standalone code, scripts/gen-osv-validator.mjs): no ajv compile at run time.
// The schema's registries (id prefixes, ecosystem names) are conventions: a record that breaks one still loads when it has
// what matching needs (an id, and an affected package with a usable range or versions list); the break becomes a note.
import type { ErrorObject } from 'ajv';
import { schemeFor } from '../versions/index.ts';
import { validate as matchesSchema } from './osv-validator.generated.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord, OsvSeverity } from './types.ts';

export type Checked = { ok: true; record: OsvRecord; notes: string[] } | { ok: false; id?: string; error: string };

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
const FULL_HASH = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/;
// at most this many schema notes per record: a record from a foreign generator can break dozens of rules the same way
const MAX_NOTES = 5;

/**
 * Checks one record. A record that matches the schema is kept as it is (with linter notes, and any range whose versions
 * no scheme parses dropped from a copy). One that does not is kept, as a cleaned copy, when it can still be matched;
 * otherwise it is refused with one short reason.
 */
export function checkRecord(data: unknown): Checked {
  if (matchesSchema(data)) return checkValid(data as OsvRecord);
  return checkLenient(data, matchesSchema.errors ?? []);
}

/** "/affected/0/ranges/1" -> "affected[0].ranges[1]" */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^[0-9]+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  for (const p of pointer.split('/').slice(1)) v = isObj(v) || Array.isArray(v) ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

// a value quoted in a note, cut so a note stays one short line
const quote = (v: unknown): string => {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return `'${s.length > 60 ? `${s.slice(0, 57)}...` : s}'`;
};

/** Schema errors as short notes (never the schema's own 600-character patterns). */
function schemaNotes(errors: readonly ErrorObject[], data: unknown, covered: (pointer: string) => boolean): string[] {
  const notes = new Set<string>();
  for (const e of errors) {
    // wrappers around a concrete error that is reported on its own
    if (['if', 'then', 'oneOf', 'anyOf', 'allOf', 'not', 'contains'].includes(e.keyword)) continue;
    if (covered(e.instancePath)) continue;
    const at = pathOf(e.instancePath);
    const v = valueAt(data, e.instancePath);
    if (e.instancePath === '/id' && e.keyword === 'pattern') notes.add(`id ${quote(v)} has no registered prefix; private databases use x_`);
    else if (/^\/(modified|published|withdrawn)$/.test(e.instancePath) && (e.keyword === 'pattern' || e.keyword === 'format')) {
      notes.add(`${at} ${quote(v)} is not an RFC 3339 UTC timestamp (2024-01-31T12:00:00Z)`);
    } else if (/\/package\/ecosystem$/.test(e.instancePath) && e.keyword === 'pattern')
      notes.add(`${at} ${quote(v)} is not an ecosystem the OSV schema lists`);
    else if (e.keyword === 'pattern') notes.add(`${at} ${quote(v)} does not match the schema's pattern for it`);
    else if (e.keyword === 'required')
      notes.add(`${at || 'record'}: no ${String((e.params as { missingProperty?: string }).missingProperty)}`);
    else notes.add(`${at || 'record'}: ${e.message ?? e.keyword}`);
  }
  const all = [...notes];
  return all.length > MAX_NOTES ? [...all.slice(0, MAX_NOTES), `and ${all.length - MAX_NOTES} more schema problems`] : all;
}

const versionOf = (e: OsvEvent): string | undefined => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;

/** Why a range cannot be evaluated (undefined when it can), for a range read from an unchecked record. */
function rangeProblem(r: unknown): string | undefined {
  if (!isObj(r)) return 'not an object';
  if (r.type !== 'GIT' && r.type !== 'SEMVER' && r.type !== 'ECOSYSTEM') return `unknown range type ${quote(r.type)}`;
  if (!Array.isArray(r.events) || !r.events.length) return 'no events';
  for (const [k, e] of r.events.entries()) {
    const keys = isObj(e) ? EVENT_KEYS.filter((x) => e[x] !== undefined) : [];
    if (keys.length !== 1 || typeof (e as Json)[keys[0]!] !== 'string')
      return `events[${k}] is not one of {introduced|fixed|last_affected|limit: "<version>"}`;
  }
  if (!r.events.some((e) => (e as OsvEvent).introduced !== undefined)) return 'no introduced event';
  return undefined;
}

/** Notes on one range that can be evaluated: GIT commits that are not full hashes, versions the scheme cannot parse. */
function rangeNotes(r: OsvRange, ecosystem: string | undefined, at: string): { notes: string[]; usable: boolean } {
  const notes: string[] = [];
  if (r.type === 'GIT') {
    for (const e of r.events) {
      const v = versionOf(e);
      if (v !== undefined && !FULL_HASH.test(v)) notes.push(`${at}: GIT range commit ${quote(v)} is not a full hash (40 or 64 hex digits)`);
    }
    return { notes, usable: true };
  }
  const scheme = ecosystem ? schemeFor(ecosystem) : undefined;
  if (!scheme) return { notes, usable: true };
  for (const e of r.events) {
    const v = versionOf(e);
    if (v === undefined || v === '0' || (e.limit === '*' && v === '*') || scheme.valid(v)) continue;
    notes.push(`${at}: ${quote(v)} is not a ${scheme.id} version; range ignored`);
    return { notes, usable: false };
  }
  return { notes, usable: true };
}

/** A schema-valid record: linter notes; ranges with versions no scheme parses are dropped from a copy. */
function checkValid(record: OsvRecord): Checked {
  const notes: string[] = [];
  let dropped: Map<number, Set<number>> | undefined;
  // plain loops, and a Set only for ranges long enough to repeat a version: this runs once per record loaded
  const affected = record.affected ?? [];
  for (let i = 0; i < affected.length; i++) {
    const a = affected[i]!;
    const ranges = a.ranges ?? [];
    let allGit = true;
    for (let j = 0; j < ranges.length; j++) {
      const r = ranges[j]!;
      if (r.type !== 'GIT') allGit = false;
      const seen = r.events.length > 1 ? new Set<string>() : undefined;
      let introduced = false;
      for (const e of r.events) {
        if (e.introduced !== undefined) introduced = true;
        const value = versionOf(e);
        if (value === undefined || !seen) continue;
        if (seen.has(value))
          notes.push(`affected[${i}].ranges[${j}]: event version ${value} appears more than once (events must be distinct)`);
        seen.add(value);
      }
      if (!introduced) notes.push(`affected[${i}].ranges[${j}]: no introduced event`);
      if (r.type === 'GIT') continue;
      const rn = rangeNotes(r, a.package?.ecosystem, `affected[${i}].ranges[${j}]`);
      notes.push(...rn.notes);
      if (!rn.usable) {
        dropped ??= new Map();
        if (!dropped.has(i)) dropped.set(i, new Set());
        dropped.get(i)!.add(j);
      }
    }
    if (!a.package && !allGit) notes.push(`affected[${i}]: no package but non-GIT ranges`);
  }
  // nothing names a package: GIT ranges (with their tags as `versions`: kept, a commit database is not for bpx to
  // refuse) or ranges and versions that nothing can ever be matched against
  if (!record.withdrawn && !affected.some((a) => a.package)) {
    const i = affected.findIndex((a) => (a.ranges?.length ? a.ranges.some((r) => r.type !== 'GIT') : !!a.versions?.length));
    if (!affected.length) return { ok: false, id: record.id, error: 'cannot be matched: no affected packages' };
    if (i >= 0) return { ok: false, id: record.id, error: `cannot be matched: affected[${i}]: no package (ecosystem and name)` };
  }
  if (!dropped) return { ok: true, record, notes };
  // a copy without the dropped ranges (the record itself is never changed)
  const d = dropped;
  const copy: OsvRecord = {
    ...record,
    affected: affected.map((a, i) => (d.has(i) ? { ...a, ranges: (a.ranges ?? []).filter((_, j) => !d.get(i)!.has(j)) } : a)),
  };
  return { ok: true, record: copy, notes };
}

function cleanSeverity(v: unknown): OsvSeverity[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((s): s is OsvSeverity => isObj(s) && typeof s.type === 'string' && typeof s.score === 'string');
  return out.length ? out : undefined;
}

const canMatch = (a: OsvAffected): boolean =>
  !!a.package && (!!a.versions?.length || !!a.ranges?.some((r) => r.type !== 'GIT' && r.events.some((e) => e.introduced !== undefined)));

/** A record the schema refuses: a cleaned copy of what matching reads, kept when something in it can match. */
function checkLenient(data: unknown, errors: readonly ErrorObject[]): Checked {
  if (!isObj(data)) return { ok: false, error: 'not an OSV record (a JSON or YAML object with id, modified and affected)' };
  if (!isStr(data.id)) return { ok: false, error: 'no id' };
  const id = data.id;
  // why each affected entry or range cannot be used; these replace the schema's own errors for the same places
  const problems: string[] = [];
  const notes: string[] = [];
  const coveredEntries = new Set<string>();
  const affected: OsvAffected[] = [];
  (Array.isArray(data.affected) ? data.affected : []).forEach((a: unknown, i) => {
    if (!isObj(a)) {
      problems.push(`affected[${i}]: not an object`);
      coveredEntries.add(`/affected/${i}`);
      return;
    }
    const pkg = a.package;
    const hasPackage = isObj(pkg) && isStr(pkg.ecosystem) && isStr(pkg.name);
    if (!hasPackage) {
      problems.push(`affected[${i}]: no package (ecosystem and name)`);
      coveredEntries.add(`/affected/${i}/package`);
    }
    const ecosystem = hasPackage ? (pkg.ecosystem as string) : undefined;
    const ranges: OsvRange[] = [];
    (Array.isArray(a.ranges) ? a.ranges : []).forEach((r: unknown, j) => {
      const at = `affected[${i}].ranges[${j}]`;
      coveredEntries.add(`/affected/${i}/ranges/${j}`);
      const why = rangeProblem(r);
      if (why) return void problems.push(`${at}: ${why}; range ignored`);
      const rn = rangeNotes(r as OsvRange, ecosystem, at);
      notes.push(...rn.notes);
      if (rn.usable) ranges.push(r as OsvRange);
      else problems.push(rn.notes[rn.notes.length - 1]!);
    });
    const versions = Array.isArray(a.versions) ? a.versions.filter((v): v is string => typeof v === 'string') : undefined;
    affected.push({
      ...(hasPackage
        ? {
            package: {
              ecosystem: pkg.ecosystem as string,
              name: pkg.name as string,
              ...(typeof pkg.purl === 'string' ? { purl: pkg.purl } : {}),
            },
          }
        : {}),
      ...(cleanSeverity(a.severity) ? { severity: cleanSeverity(a.severity) } : {}),
      ranges,
      ...(versions ? { versions } : {}),
      ...(isObj(a.database_specific) ? { database_specific: a.database_specific } : {}),
      ...(isObj(a.ecosystem_specific) ? { ecosystem_specific: a.ecosystem_specific } : {}),
    });
  });
  if (!affected.some(canMatch)) {
    const why =
      problems[0] ?? (Array.isArray(data.affected) && data.affected.length ? 'no affected entry can be matched' : 'no affected packages');
    return { ok: false, id, error: `cannot be matched: ${why}` };
  }
  const covered = (pointer: string) => [...coveredEntries].some((c) => pointer === c || pointer.startsWith(`${c}/`));
  const record: OsvRecord = {
    id,
    modified: typeof data.modified === 'string' ? data.modified : '',
    ...(typeof data.published === 'string' ? { published: data.published } : {}),
    ...(typeof data.withdrawn === 'string' ? { withdrawn: data.withdrawn } : {}),
    ...(Array.isArray(data.aliases) ? { aliases: data.aliases.filter((x): x is string => typeof x === 'string') } : {}),
    ...(typeof data.summary === 'string' ? { summary: data.summary } : {}),
    ...(typeof data.details === 'string' ? { details: data.details } : {}),
    ...(cleanSeverity(data.severity) ? { severity: cleanSeverity(data.severity) } : {}),
    affected,
    ...(isObj(data.database_specific) ? { database_specific: data.database_specific } : {}),
  };
  // the entries and ranges left out are noted with the schema's other complaints
  return { ok: true, record, notes: [...schemaNotes(errors, data, covered), ...new Set([...notes, ...problems])] };
}
