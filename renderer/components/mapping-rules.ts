import type { FilePreview } from '../../shared/contract';
import { CLASS_FIELDS } from '../../shared/fields';
import type { CanonicalField } from '../../shared/fields';
import type { ColumnMapping, FieldSource } from '../../shared/mapping';
import { fit, mappingMadeFor } from '../../shared/mapping';
import type { SavedMapping } from '../../shared/reports';
import type { MessageKey } from '../messages';

/**
 * The import wizard's mapping step, without the screen: files with the same columns form one group with one
 * mapping; a saved mapping made for those columns starts it; what is missing is said per field, in the user's
 * words, before anything is sent to the engine.
 */

/** One group's mapping as the screen edits it. The row filter's values stay as typed until they are sent. */
export interface MappingDraft {
  /** The fields (never the filter: it is `filterOn`, `filterColumn` and `filterValues` while editing). */
  mapping: ColumnMapping;
  /** Each file's period from its name (2024_fall.csv), as `--period-from-name` does; PERIODO is then unset. */
  periodFromName: boolean;
  filterOn: boolean;
  filterColumn: string;
  /** Comma-separated, as typed. */
  filterValues: string;
  /** The saved mapping this draft started from (by name), if any. */
  saved: SavedMapping | null;
}

export interface FileGroup {
  key: string;
  /** The columns every file of the group has (the first file's, with the fewest): what the mapping may read. */
  headers: string[];
  /** Columns some of its files have besides (an export that gained a column one year): left unread. */
  extra: string[];
  /** Indexes of the chosen files, in the order chosen. */
  files: number[];
  draft: MappingDraft;
}

/** Files with these columns, in this order, share a group (and a mapping). */
export function headerKey(headers: readonly string[]): string {
  return JSON.stringify(headers);
}

/** The saved mappings worth offering for these columns: those made for them first, then the others that fit. */
export function offered(saved: readonly SavedMapping[], headers: readonly string[]): SavedMapping[] {
  const fits = saved.map((s) => ({ s, how: fit(s, headers) })).filter((x) => x.how !== null);
  return [...fits.filter((x) => x.how === 'same'), ...fits.filter((x) => x.how === 'compatible')].map((x) => x.s);
}

/** A draft from a mapping (a saved one, a .json file, or Cupo's guess). */
export function draftOf(mapping: ColumnMapping, periodFromName: boolean, saved: SavedMapping | null = null): MappingDraft {
  const { filter, ...fields } = mapping;
  return {
    mapping: fields,
    periodFromName: periodFromName && fields.PERIODO === undefined,
    filterOn: filter !== undefined,
    filterColumn: filter?.column ?? '',
    filterValues: filter ? filter.values.join(', ') : '',
    saved,
  };
}

/**
 * Groups the chosen files by their columns: a file joins the group of files whose columns it all has (an export
 * that gained a column in a later year is mapped with the others), else starts its own. Each group starts from the
 * saved mapping made for exactly its columns (the most recently saved), else from Cupo's guess for its first file;
 * the period comes from the files' names when none of the columns is one and every name holds one.
 */
export function groupFiles(previews: readonly FilePreview[], saved: readonly SavedMapping[]): FileGroup[] {
  const groups: FileGroup[] = [];
  // The files with the fewest columns found the groups; a file with more joins the first group it contains.
  const order = previews.map((p, index) => ({ p, index, columns: new Set(p.headers) })).sort((a, b) => a.p.headers.length - b.p.headers.length || a.index - b.index);
  for (const { p, index, columns } of order) {
    const group = p.headers.length === 0 ? undefined : groups.find((g) => g.headers.length > 0 && g.headers.every((h) => columns.has(h)));
    if (group) {
      group.files.push(index);
      for (const h of p.headers) if (!group.headers.includes(h) && !group.extra.includes(h)) group.extra.push(h);
    } else groups.push({ key: headerKey(p.headers), headers: p.headers, extra: [], files: [index], draft: draftOf({}, false) });
  }
  for (const group of groups) group.files.sort((a, b) => a - b);
  groups.sort((a, b) => a.files[0]! - b.files[0]!);
  for (const group of groups) {
    const namesHold = group.files.every((i) => previews[i]!.periodFromName !== null);
    const same = mappingMadeFor(saved, group.headers);
    group.draft = same ? draftOf(same.mapping, same.period_from_name && namesHold, same) : draftOf(previews[group.files[0]!]!.guessedMapping, namesHold);
  }
  return groups;
}

/** The values of the filter as they will be sent: trimmed, empty ones dropped. */
export function filterValues(text: string): string[] {
  return text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The mapping as the engine and the command line read it (the JSON of `--mapping`). */
export function finalMapping(draft: MappingDraft): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const [field, source] of Object.entries(draft.mapping) as [CanonicalField, FieldSource | undefined][]) {
    if (source === undefined) continue;
    if (field === 'PERIODO' && draft.periodFromName) continue;
    mapping[field] = source;
  }
  const values = filterValues(draft.filterValues);
  if (draft.filterOn && draft.filterColumn && values.length > 0) mapping.filter = { column: draft.filterColumn, values };
  return mapping;
}

/** What is wrong with one place of the mapping, as a message of the catalog and its values. */
export interface MappingProblem {
  key: MessageKey;
  values?: Record<string, string | number>;
}

/** Where a problem is shown: beside a field, or beside the filter. */
export type ProblemPlace = CanonicalField | 'filter';

const MISSING: Record<(typeof CLASS_FIELDS)[number], MessageKey> = {
  PERIODO: 'import.missing.PERIODO',
  SEDE: 'import.missing.SEDE',
  CURSO_ACTUAL: 'import.missing.CURSO_ACTUAL',
  HORARIO_ACTUAL: 'import.missing.HORARIO_ACTUAL',
};

/**
 * Everything a group's mapping still lacks, per field: what the engine would refuse one step later, said here
 * in the user's words. `fieldName` names a field as the screen does ("la sede"); `list` joins file names.
 */
export function mappingProblems(
  group: FileGroup,
  previews: readonly FilePreview[],
  fieldName: (field: CanonicalField) => string,
  list: (items: string[]) => string,
): Partial<Record<ProblemPlace, MappingProblem>> {
  const problems: Partial<Record<ProblemPlace, MappingProblem>> = {};
  const { draft, headers } = group;
  const have = new Set(headers);
  const check = (field: CanonicalField): boolean => {
    const source = draft.mapping[field];
    if (source === undefined) return false;
    if (typeof source === 'object' && !Array.isArray(source)) {
      if (source.value.trim() === '') problems[field] = { key: 'import.missing.constant', values: { field: fieldName(field) } };
      return true;
    }
    const missing = (Array.isArray(source) ? source : [source]).find((c) => !have.has(c));
    if (missing !== undefined) problems[field] = { key: 'import.missing.column', values: { column: missing } };
    return true;
  };
  for (const field of CLASS_FIELDS) {
    if (field === 'PERIODO' && draft.periodFromName) {
      const unnamed = group.files.map((i) => previews[i]!).filter((p) => p.periodFromName === null);
      if (unnamed.length > 0) problems.PERIODO = { key: 'import.missing.noName', values: { count: unnamed.length, files: list(unnamed.map((p) => p.name)) } };
      continue;
    }
    if (!check(field)) problems[field] = { key: MISSING[field] };
  }
  const count = check('ALUMNOS');
  const student = check('ID_ALUMNO');
  if (!count && !student) problems.ALUMNOS = { key: 'import.missing.count' };
  // Optional: unset is fine, a column the files lack is not.
  check('CAPACIDAD');
  if (draft.filterOn) {
    if (!draft.filterColumn || filterValues(draft.filterValues).length === 0) problems.filter = { key: 'import.missing.filter' };
    else if (!have.has(draft.filterColumn)) problems.filter = { key: 'import.missing.column', values: { column: draft.filterColumn } };
  }
  return problems;
}

/** The distinct values of a column in the previews' rows (what a filter may keep), at most `max`. */
export function valuesSeen(previews: readonly FilePreview[], files: readonly number[], column: string, max = 12): string[] {
  const seen = new Set<string>();
  for (const i of files) {
    const p = previews[i]!;
    const index = p.headers.indexOf(column);
    if (index < 0) continue;
    for (const row of p.rows) {
      const value = (row[index] ?? '').trim();
      if (value !== '') seen.add(value);
      if (seen.size >= max) return [...seen];
    }
  }
  return [...seen];
}
