import type { ImportProblem } from '../../../shared/problems';
import type { Bilingual } from '../../../shared/messages';
import { MAX_RECORD_CHARS } from './read-csv';

interface Where {
  file: string;
  line?: number;
  column?: string;
  value?: string;
}

/** A name from the file as a sentence can show it: on one line, control characters visible, at most 60 characters. */
export function shown(name: string): string {
  // eslint-disable-next-line no-control-regex
  const one = name.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

function place(w: Where): Bilingual {
  const parts: Bilingual[] = [{ es: shown(w.file), en: shown(w.file) }];
  if (w.line !== undefined) parts.push({ es: `línea ${w.line}`, en: `line ${w.line}` });
  if (w.column !== undefined) parts.push({ es: `columna «${shown(w.column)}»`, en: `column "${shown(w.column)}"` });
  return { es: parts.map((p) => p.es).join(', '), en: parts.map((p) => p.en).join(', ') };
}

function quoted(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(short);
}

/** The header's columns for a sentence: the first twelve, each shortened, and how many more there are. */
function columnList(headers: readonly string[], open: string, close: string): string {
  const listed = headers.slice(0, 12).map((h) => `${open}${shown(h)}${close}`).join(', ');
  return headers.length > 12 ? `${listed} (+${headers.length - 12})` : listed;
}

/** At most this many characters in a label (period, site, course, schedule) or a student id. */
export const MAX_LABEL_CHARS = 200;
/** At most this many columns in a file. */
export const MAX_COLUMNS = 500;
/** A class of more students than this is a typing error, not a class. */
export const MAX_COUNT = 1_000_000;

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
    problem('error', 'empty_file', { file, line: 1 }, { es: 'el archivo está vacío.', en: 'the file is empty.' }),
  binaryFile: (file: string, line: number) =>
    problem('error', 'binary_file', { file, line }, {
      es: 'no es un archivo de texto CSV (parece una imagen, un PDF o una hoja de cálculo sin exportar); expórtelo como CSV.',
      en: 'this is not a CSV text file (it looks like a picture, a PDF or an unexported spreadsheet); export it as CSV.',
    }),
  noRows: (file: string) =>
    problem('error', 'no_rows', { file, line: 2 }, { es: 'el archivo tiene encabezado pero ninguna fila de datos.', en: 'the file has a header but no data rows.' }),
  missingField: (file: string, field: string, headers: readonly string[]) =>
    problem('error', 'missing_field', { file, line: 1 }, {
      es: `no se encontró una columna para ${field} entre ${columnList(headers, '«', '»')}; indíquela con un archivo de mapeo${field === 'PERIODO' ? ' o con --period' : ''}.`,
      en: `no column was found for ${field} among ${columnList(headers, '"', '"')}; name it in a mapping file${field === 'PERIODO' ? ' or with --period' : ''}.`,
    }),
  noCountColumn: (file: string, headers: readonly string[]) =>
    problem('error', 'no_count_column', { file, line: 1 }, {
      es: `no hay columna de cantidad de alumnos (ALUMNOS) ni de código de alumno (ID_ALUMNO) entre ${columnList(headers, '«', '»')}.`,
      en: `there is neither a student count column (ALUMNOS) nor a student id column (ID_ALUMNO) among ${columnList(headers, '"', '"')}.`,
    }),
  forecastFile: (file: string) =>
    problem('error', 'forecast_file', { file, line: 1, column: 'PREDICT_ALUMNOS' }, {
      es: 'es un pronóstico exportado por Cupo, no datos de matrícula: importe lo que realmente se matriculó.',
      en: 'this is a forecast exported by Cupo, not enrolment data: import what was actually enrolled.',
    }),
  unknownColumn: (file: string, column: string, headers: readonly string[]) =>
    problem('error', 'unknown_column', { file, line: 1, column }, {
      es: `el mapeo pide esta columna pero el archivo no la tiene (columnas: ${columnList(headers, '«', '»')}).`,
      en: `the mapping asks for this column but the file does not have it (columns: ${columnList(headers, '"', '"')}).`,
    }),
  tooManyColumns: (file: string, count: number) =>
    problem('error', 'too_many_columns', { file, line: 1 }, {
      es: `el encabezado tiene ${count} columnas y Cupo lee como máximo ${MAX_COLUMNS}; quite las que no son de la matrícula.`,
      en: `the header has ${count} columns and Cupo reads at most ${MAX_COLUMNS}; remove those that are not about enrolment.`,
    }),
  recordTooLong: (file: string, line: number) =>
    problem('error', 'record_too_long', { file, line }, {
      es: `esta fila pasa de ${MAX_RECORD_CHARS.toLocaleString('es')} caracteres (¿unas comillas sin cerrar?), así que no es una fila de matrícula y no se leyó más.`,
      en: `this row runs past ${MAX_RECORD_CHARS.toLocaleString('en')} characters (an unclosed quote?), so it is not an enrolment row and nothing after it was read.`,
    }),
  unclosedQuote: (file: string, line: number) =>
    problem('error', 'unclosed_quote', { file, line }, {
      es: 'unas comillas abiertas en esta fila no se cierran, y el resto del archivo quedaría dentro de un solo campo.',
      en: 'a quote opened in this row is never closed, which would put the rest of the file inside one field.',
    }),
  valueTooLong: (file: string, line: number, column: string, length: number) =>
    problem('error', 'value_too_long', { file, line, column }, {
      es: `el valor tiene ${length} caracteres y el máximo es ${MAX_LABEL_CHARS}.`,
      en: `the value has ${length} characters and at most ${MAX_LABEL_CHARS} are allowed.`,
    }),
  controlCharacter: (file: string, line: number, column: string, value: string) =>
    problem('error', 'control_character', { file, line, column, value }, {
      es: `${quoted(value)} contiene un carácter de control, que no es texto (¿un archivo dañado o mal exportado?).`,
      en: `${quoted(value)} contains a control character, which is not text (a damaged or badly exported file?).`,
    }),
  blankRows: (file: string, line: number, count: number) =>
    problem('warning', 'blank_rows', { file, line }, {
      es: `${count} fila(s) sin datos, solo separadores o espacios, la primera aquí: se omitieron.`,
      en: `${count} row(s) hold nothing but separators or blanks, the first one here: they were skipped.`,
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
  badCount: (file: string, line: number, column: string, value: string, reason: 'empty' | 'negative' | 'fraction' | 'not_a_number' | 'too_large') => {
    const why: Record<typeof reason, Bilingual> = {
      too_large: { es: `una clase no tiene más de ${MAX_COUNT.toLocaleString('es')} alumnos`, en: `a class does not have more than ${MAX_COUNT.toLocaleString('en')} students` },
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
  frequencyMismatch: (file: string, line: number, value: string, fileKind: string, dbKind: string) =>
    problem('error', 'frequency_mismatch', { file, line, value }, {
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
