import type { ImportProblem } from '../../../shared/problems';
import type { Bilingual } from '../../../shared/messages';

interface Where {
  file: string;
  line?: number;
  column?: string;
  value?: string;
}

function place(w: Where): Bilingual {
  const parts: Bilingual[] = [{ es: w.file, en: w.file }];
  if (w.line !== undefined) parts.push({ es: `línea ${w.line}`, en: `line ${w.line}` });
  if (w.column !== undefined) parts.push({ es: `columna «${w.column}»`, en: `column "${w.column}"` });
  return { es: parts.map((p) => p.es).join(', '), en: parts.map((p) => p.en).join(', ') };
}

function quoted(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(shown);
}

function problem(severity: ImportProblem['severity'], code: string, w: Where, text: Bilingual): ImportProblem {
  const at = place(w);
  return {
    severity,
    code,
    file: w.file,
    ...(w.line !== undefined ? { line: w.line } : {}),
    ...(w.column !== undefined ? { column: w.column } : {}),
    ...(w.value !== undefined ? { value: w.value } : {}),
    message: { es: `${at.es}: ${text.es}`, en: `${at.en}: ${text.en}` },
  };
}

/** Every problem an import can report, each one sentence in Spanish and English. */
export const problems = {
  emptyFile: (file: string) =>
    problem('error', 'empty_file', { file }, { es: 'el archivo está vacío.', en: 'the file is empty.' }),
  binaryFile: (file: string) =>
    problem('error', 'binary_file', { file }, {
      es: 'no es un archivo de texto CSV (parece una imagen, un PDF o una hoja de cálculo sin exportar); expórtelo como CSV.',
      en: 'this is not a CSV text file (it looks like a picture, a PDF or an unexported spreadsheet); export it as CSV.',
    }),
  noRows: (file: string) =>
    problem('error', 'no_rows', { file, line: 2 }, { es: 'el archivo tiene encabezado pero ninguna fila de datos.', en: 'the file has a header but no data rows.' }),
  missingField: (file: string, field: string, headers: readonly string[]) =>
    problem('error', 'missing_field', { file, line: 1 }, {
      es: `no se encontró una columna para ${field} entre ${headers.map((h) => `«${h}»`).join(', ')}; indíquela con un archivo de mapeo${field === 'PERIODO' ? ' o con --period' : ''}.`,
      en: `no column was found for ${field} among ${headers.map((h) => `"${h}"`).join(', ')}; name it in a mapping file${field === 'PERIODO' ? ' or with --period' : ''}.`,
    }),
  noCountColumn: (file: string, headers: readonly string[]) =>
    problem('error', 'no_count_column', { file, line: 1 }, {
      es: `no hay columna de cantidad de alumnos (ALUMNOS) ni de código de alumno (ID_ALUMNO) entre ${headers.map((h) => `«${h}»`).join(', ')}.`,
      en: `there is neither a student count column (ALUMNOS) nor a student id column (ID_ALUMNO) among ${headers.map((h) => `"${h}"`).join(', ')}.`,
    }),
  forecastFile: (file: string) =>
    problem('error', 'forecast_file', { file, line: 1, column: 'PREDICT_ALUMNOS' }, {
      es: 'es un pronóstico exportado por Cupo, no datos de matrícula: importe lo que realmente se matriculó.',
      en: 'this is a forecast exported by Cupo, not enrolment data: import what was actually enrolled.',
    }),
  unknownColumn: (file: string, column: string, headers: readonly string[]) =>
    problem('error', 'unknown_column', { file, line: 1, column }, {
      es: `el mapeo pide esta columna pero el archivo no la tiene (columnas: ${headers.map((h) => `«${h}»`).join(', ')}).`,
      en: `the mapping asks for this column but the file does not have it (columns: ${headers.map((h) => `"${h}"`).join(', ')}).`,
    }),
  fieldCount: (file: string, line: number, found: number, expected: number) =>
    problem('error', found < expected ? 'too_few_fields' : 'too_many_fields', { file, line }, {
      es: `la fila tiene ${found} campos y el encabezado ${expected}.`,
      en: `the row has ${found} fields and the header has ${expected}.`,
    }),
  emptyValue: (file: string, line: number, column: string) =>
    problem('error', 'empty_value', { file, line, column }, { es: 'el valor está vacío.', en: 'the value is empty.' }),
  badPeriod: (file: string, line: number, column: string, value: string) =>
    problem('error', 'bad_period', { file, line, column, value }, {
      es: `${quoted(value)} no es un periodo reconocible (ejemplos: 2024, 202401, 2024-01, 2024-1, 2024-II, 2024_fall).`,
      en: `${quoted(value)} is not a period Cupo can read (examples: 2024, 202401, 2024-01, 2024-1, 2024-II, 2024_fall).`,
    }),
  badCount: (file: string, line: number, column: string, value: string, reason: 'empty' | 'negative' | 'fraction' | 'not_a_number') => {
    const why: Record<typeof reason, Bilingual> = {
      empty: { es: 'falta la cantidad de alumnos', en: 'the student count is missing' },
      negative: { es: 'una cantidad de alumnos no puede ser negativa', en: 'a student count cannot be negative' },
      fraction: { es: 'una cantidad de alumnos debe ser un número entero', en: 'a student count must be a whole number' },
      not_a_number: { es: 'no es un número', en: 'it is not a number' },
    };
    return problem('error', `count_${reason}`, { file, line, column, value }, {
      es: `${quoted(value)} no es una cantidad de alumnos válida: ${why[reason].es}.`,
      en: `${quoted(value)} is not a valid student count: ${why[reason].en}.`,
    });
  },
  mixedPeriods: (file: string, first: { line: number; value: string }, other: { line: number; value: string }, column: string) =>
    problem('error', 'mixed_period_notation', { file, line: other.line, column, value: other.value }, {
      es: `${quoted(other.value)} y ${quoted(first.value)} (línea ${first.line}) usan notaciones de periodo que no pueden ser ambas correctas (por ejemplo años y meses).`,
      en: `${quoted(other.value)} and ${quoted(first.value)} (line ${first.line}) use period notations that cannot both be right (years and months, say).`,
    }),
  frequencyMismatch: (file: string, value: string, fileKind: string, dbKind: string) =>
    problem('error', 'frequency_mismatch', { file, value }, {
      es: `los periodos de este archivo (${fileKind}, p. ej. ${quoted(value)}) no coinciden con los ya importados (${dbKind}); use la misma notación.`,
      en: `this file's periods (${fileKind}, e.g. ${quoted(value)}) do not match those already imported (${dbKind}); use the same notation.`,
    }),
  duplicateClasses: (file: string, line: number, firstLine: number, count: number) =>
    problem('warning', 'duplicate_class', { file, line }, {
      es: `${count} fila(s) repiten una clase (periodo, sede, curso y horario) ya vista, la primera aquí (igual a la línea ${firstLine}): sus alumnos se sumaron.`,
      en: `${count} row(s) repeat a class (period, site, course and schedule) already seen, the first one here (same as line ${firstLine}): their students were added together.`,
    }),
  duplicateStudents: (file: string, line: number, count: number) =>
    problem('warning', 'duplicate_student', { file, line }, {
      es: `${count} fila(s) repiten un alumno ya inscrito en la misma clase (la primera aquí): cada alumno se contó una vez.`,
      en: `${count} row(s) repeat a student already enrolled in the same class (the first one here): each student was counted once.`,
    }),
  keyChanged: (file: string) =>
    problem('warning', 'pseudonym_key_changed', { file }, {
      es: 'la clave que seudonimiza a los alumnos no es la de las importaciones anteriores: sus alumnos no se enlazarán con los de antes.',
      en: 'the key that pseudonymises students is not the one earlier imports used: these students will not be linked with earlier ones.',
    }),
};

export function firstErrorsFirst(list: ImportProblem[], limit: number): ImportProblem[] {
  return [...list.filter((p) => p.severity === 'error'), ...list.filter((p) => p.severity === 'warning')].slice(0, limit);
}
