import type { CanonicalField } from '../../../shared/fields';
import { CANONICAL_FIELDS } from '../../../shared/fields';
import type { ColumnMapping, FieldSource } from '../../../shared/mapping';

/** Header names schools actually use, normalised (lower case, no accents, "_" between words). */
const SYNONYMS: Record<CanonicalField, string[]> = {
  PERIODO: ['periodo', 'ciclo', 'periodo_academico', 'ciclo_academico', 'semestre', 'trimestre', 'bimestre', 'mes', 'anio', 'ano', 'gestion', 'term', 'period', 'semester', 'month', 'year'],
  SEDE: ['sede', 'local', 'campus', 'sucursal', 'filial', 'plantel', 'site', 'branch', 'location'],
  CURSO_ACTUAL: ['curso_actual', 'curso', 'nivel', 'grado', 'asignatura', 'materia', 'course', 'level', 'grade', 'subject'],
  HORARIO_ACTUAL: ['horario_actual', 'horario', 'turno', 'frecuencia', 'schedule', 'shift', 'timeslot', 'time_slot'],
  ALUMNOS: ['alumnos', 'matriculados', 'inscritos', 'cantidad', 'estudiantes', 'n_alumnos', 'num_alumnos', 'nro_alumnos', 'total_alumnos', 'cantidad_alumnos', 'enrollment', 'enrolled', 'students', 'headcount', 'count'],
  ID_ALUMNO: ['id_alumno', 'codigo_alumno', 'cod_alumno', 'codigo', 'id_estudiante', 'codigo_estudiante', 'dni', 'documento', 'carne', 'carnet', 'legajo', 'student_id', 'studentid', 'student'],
  CAPACIDAD: ['capacidad', 'capacidad_maxima', 'cupo', 'cupos', 'cupo_maximo', 'vacantes', 'plazas', 'aforo', 'max_alumnos', 'maximo_alumnos', 'capacity', 'enrollment_limit', 'enrollmentlimit', 'enrolment_limit', 'class_limit', 'max_enrollment', 'max_students', 'seats'],
};


export function normaliseHeader(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Guesses a mapping from the header alone: exact names first, then a header word that is a known name. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const normalised = headers.map(normaliseHeader);
  const taken = new Set<number>();
  const mapping: ColumnMapping = {};
  const assign = (field: CanonicalField, index: number) => {
    mapping[field] = headers[index]!;
    taken.add(index);
  };
  for (const field of CANONICAL_FIELDS) {
    const index = normalised.findIndex((h, i) => !taken.has(i) && (h === field.toLowerCase() || SYNONYMS[field].includes(h)));
    if (index >= 0) assign(field, index);
  }
  for (const field of CANONICAL_FIELDS) {
    if (mapping[field]) continue;
    const index = normalised.findIndex((h, i) => !taken.has(i) && h.split('_').some((word) => SYNONYMS[field].includes(word)));
    if (index >= 0) assign(field, index);
  }
  return mapping;
}

export type FieldReader = { kind: 'columns'; indexes: number[]; label: string } | { kind: 'constant'; value: string; label: string };

export interface ResolvedMapping {
  mapping: ColumnMapping;
  readers: Partial<Record<CanonicalField, FieldReader>>;
  /** Column names the mapping asks for that the file does not have. */
  unknownColumns: string[];
  /** The rows to keep (the mapping's `filter`): by the column's index and the values it may hold; null keeps all. */
  filter: { index: number; values: ReadonlySet<string>; label: string; shown: string[] } | null;
}

function findColumn(headers: readonly string[], name: string): number {
  const exact = headers.indexOf(name);
  if (exact >= 0) return exact;
  const wanted = normaliseHeader(name);
  return headers.findIndex((h) => normaliseHeader(h) === wanted);
}

/**
 * The mapping in force for one file: what the user gave (a mapping file, a period) over what the header suggests.
 */
export function resolveMapping(headers: readonly string[], given: ColumnMapping | undefined, period: string | undefined): ResolvedMapping {
  const mapping: ColumnMapping = { ...guessMapping(headers), ...(given ?? {}) };
  if (period !== undefined) mapping.PERIODO = { value: period };
  // A count column and a student column both guessed: the explicit choice wins, otherwise counts are the classes' own figure.
  if (!given?.ID_ALUMNO && mapping.ALUMNOS && mapping.ID_ALUMNO && !given?.ALUMNOS) delete mapping.ID_ALUMNO;
  if (given?.ID_ALUMNO && !given.ALUMNOS) delete mapping.ALUMNOS;

  const readers: Partial<Record<CanonicalField, FieldReader>> = {};
  const unknownColumns: string[] = [];
  for (const field of CANONICAL_FIELDS) {
    const source: FieldSource | undefined = mapping[field];
    if (source === undefined) continue;
    if (typeof source === 'object' && !Array.isArray(source)) {
      readers[field] = { kind: 'constant', value: source.value, label: `"${source.value}"` };
      continue;
    }
    const names = Array.isArray(source) ? source : [source];
    const indexes = names.map((n) => findColumn(headers, n));
    names.forEach((n, i) => {
      if (indexes[i]! < 0) unknownColumns.push(n);
    });
    readers[field] = { kind: 'columns', indexes, label: names.join(' + ') };
  }
  let filter: ResolvedMapping['filter'] = null;
  if (mapping.filter) {
    const index = findColumn(headers, mapping.filter.column);
    if (index < 0) unknownColumns.push(mapping.filter.column);
    else filter = { index, values: new Set(mapping.filter.values.map((v) => v.trim())), label: headers[index]!, shown: mapping.filter.values };
  }
  return { mapping, readers, unknownColumns, filter };
}

/** Compiles a field's reader into the function called on every row: a constant, one cell, or cells joined. */
export function fieldGetter(reader: FieldReader): (record: readonly string[]) => string {
  if (reader.kind === 'constant') {
    const value = reader.value;
    return () => value;
  }
  const indexes = reader.indexes;
  if (indexes.length === 1) {
    const index = indexes[0]!;
    return (record) => record[index] ?? '';
  }
  return (record) =>
    indexes
      .map((i) => (record[i] ?? '').trim())
      .filter((part) => part !== '')
      .join(' ');
}
