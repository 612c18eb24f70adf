import type { ImportProblem } from '../../../shared/problems';
import type { Bilingual } from '../../../shared/messages';
import { MAX_RECORD_CHARS } from './read-csv';

/**
 * Where a file's problems are: a text file by its name (lines counted from its header, line 1), a workbook's sheet
 * by the workbook's name, the sheet's name and its rows as Excel numbers them (the header is `headerRow`, below any
 * title block).
 */
export type Source = string | { file: string; sheet: string; headerRow: number };

interface Where {
  src: Source;
  line?: number;
  column?: string;
  value?: string;
}

const fileOf = (src: Source): string => (typeof src === 'string' ? src : src.file);
/** The header's line or row. */
const headerLine = (src: Source): number => (typeof src === 'string' ? 1 : src.headerRow);
/** "línea 7" in a text file, "fila 7" in a sheet. */
function lineWord(src: Source, line: number): Bilingual {
  return typeof src === 'string' ? { es: `línea ${line}`, en: `line ${line}` } : { es: `fila ${line}`, en: `row ${line}` };
}

/** A name from the file as a sentence can show it: on one line, control characters visible, at most 60 characters. */
export function shown(name: string): string {
  // eslint-disable-next-line no-control-regex
  const one = name.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

function place(w: Where): Bilingual {
  const name = shown(fileOf(w.src));
  const parts: Bilingual[] = [{ es: name, en: name }];
  if (typeof w.src !== 'string') parts.push({ es: `hoja «${shown(w.src.sheet)}»`, en: `sheet "${shown(w.src.sheet)}"` });
  if (w.line !== undefined) parts.push(lineWord(w.src, w.line));
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
    file: fileOf(w.src),
    ...(w.line !== undefined ? { line: w.line } : {}),
    ...(w.column !== undefined ? { column: w.column } : {}),
    ...(w.value !== undefined ? { value: w.value } : {}),
    message: { es: `${at.es}: ${text.es}`, en: `${at.en}: ${text.en}` },
  };
}

/** Every problem an import can report, each one sentence in Spanish and English. */
export const problems = {
  emptyFile: (src: Source) =>
    typeof src === 'string'
      ? problem('error', 'empty_file', { src, line: 1 }, { es: 'el archivo está vacío.', en: 'the file is empty.' })
      : problem('error', 'empty_sheet', { src }, { es: 'la hoja está vacía.', en: 'the sheet is empty.' }),
  binaryFile: (src: Source, line: number) =>
    problem('error', 'binary_file', { src, line }, {
      es: 'no es un archivo CSV ni un libro de Excel .xlsx (parece una imagen, un PDF u otro documento); guárdelo como .xlsx o CSV.',
      en: 'this is neither a CSV file nor an Excel .xlsx workbook (it looks like a picture, a PDF or another document); save it as .xlsx or CSV.',
    }),
  oldWorkbook: (src: Source) =>
    problem('error', 'xls_file', { src }, {
      es: 'es un libro de Excel antiguo (.xls), que Cupo no lee: ábralo en Excel y guárdelo como «Libro de Excel (.xlsx)» o como CSV.',
      en: 'this is an old Excel workbook (.xls), which Cupo does not read: open it in Excel and save it as "Excel Workbook (.xlsx)" or as CSV.',
    }),
  encryptedWorkbook: (src: Source) =>
    problem('error', 'encrypted_workbook', { src }, {
      es: 'el libro está protegido con contraseña, así que Cupo no puede leerlo: ábralo en Excel, quite la contraseña y guárdelo como .xlsx o CSV.',
      en: 'the workbook is protected with a password, so Cupo cannot read it: open it in Excel, remove the password and save it as .xlsx or CSV.',
    }),
  corruptWorkbook: (src: Source) =>
    problem('error', 'corrupt_workbook', { src }, {
      es: 'el libro de Excel está dañado o incompleto (¿se cortó al copiarlo o descargarlo?): ábralo en Excel y vuelva a guardarlo como .xlsx o CSV.',
      en: 'the Excel workbook is damaged or incomplete (was it cut short while copied or downloaded?): open it in Excel and save it again as .xlsx or CSV.',
    }),
  notWorkbook: (src: Source) =>
    problem('error', 'not_a_workbook', { src }, {
      es: 'es un archivo comprimido (ZIP) pero no un libro de Excel .xlsx (¿un .ods, un .docx o un .zip?): guárdelo como .xlsx o CSV.',
      en: 'this is a compressed (ZIP) file but not an Excel .xlsx workbook (an .ods, a .docx or a .zip?): save it as .xlsx or CSV.',
    }),
  noSheets: (src: Source) =>
    problem('error', 'no_sheets', { src }, {
      es: 'el libro no tiene ninguna hoja de cálculo que Cupo pueda leer (¿solo gráficos?): guarde los datos en una hoja como .xlsx o CSV.',
      en: 'the workbook has no worksheet Cupo can read (only charts?): save the data in a sheet as .xlsx or CSV.',
    }),
  unknownSheet: (src: Source, sheet: string, sheets: readonly string[]) =>
    problem('error', 'unknown_sheet', { src, value: sheet }, {
      es: `el libro no tiene una hoja «${shown(sheet)}»; sus hojas son ${columnList(sheets, '«', '»')}.`,
      en: `the workbook has no sheet "${shown(sheet)}"; its sheets are ${columnList(sheets, '"', '"')}.`,
    }),
  formulasWithoutValue: (src: Source, line: number, count: number) =>
    problem('warning', 'formula_without_value', { src, line }, {
      es: `${count} celda(s) con fórmula no tienen guardado su resultado, la primera en esta fila (¿el libro no se guardó desde Excel?): se leyeron vacías; ábralo en Excel y guárdelo.`,
      en: `${count} formula cell(s) have no saved result, the first in this row (was the workbook not saved by Excel?): they were read as empty; open it in Excel and save it.`,
    }),
  noRows: (src: Source) =>
    problem('error', 'no_rows', { src, line: headerLine(src) + 1 }, {
      es: typeof src === 'string' ? 'el archivo tiene encabezado pero ninguna fila de datos.' : 'la hoja tiene encabezado pero ninguna fila de datos.',
      en: typeof src === 'string' ? 'the file has a header but no data rows.' : 'the sheet has a header but no data rows.',
    }),
  missingField: (src: Source, field: string, headers: readonly string[]) =>
    problem('error', 'missing_field', { src, line: headerLine(src) }, {
      es: `no se encontró una columna para ${field} entre ${columnList(headers, '«', '»')}; indíquela con un archivo de mapeo${field === 'PERIODO' ? ' o con --period' : ''}.`,
      en: `no column was found for ${field} among ${columnList(headers, '"', '"')}; name it in a mapping file${field === 'PERIODO' ? ' or with --period' : ''}.`,
    }),
  noCountColumn: (src: Source, headers: readonly string[]) =>
    problem('error', 'no_count_column', { src, line: headerLine(src) }, {
      es: `no hay columna de cantidad de alumnos (ALUMNOS) ni de código de alumno (ID_ALUMNO) entre ${columnList(headers, '«', '»')}.`,
      en: `there is neither a student count column (ALUMNOS) nor a student id column (ID_ALUMNO) among ${columnList(headers, '"', '"')}.`,
    }),
  forecastFile: (src: Source) =>
    problem('error', 'forecast_file', { src, line: headerLine(src), column: 'PREDICT_ALUMNOS' }, {
      es: 'es un pronóstico exportado por Cupo, no datos de matrícula: importe lo que realmente se matriculó.',
      en: 'this is a forecast exported by Cupo, not enrolment data: import what was actually enrolled.',
    }),
  unknownColumn: (src: Source, column: string, headers: readonly string[]) =>
    problem('error', 'unknown_column', { src, line: headerLine(src), column }, {
      es: `el mapeo pide esta columna pero el archivo no la tiene (columnas: ${columnList(headers, '«', '»')}).`,
      en: `the mapping asks for this column but the file does not have it (columns: ${columnList(headers, '"', '"')}).`,
    }),
  tooManyColumns: (src: Source, count: number) =>
    problem('error', 'too_many_columns', { src, line: headerLine(src) }, {
      es: `el encabezado tiene ${count} columnas y Cupo lee como máximo ${MAX_COLUMNS}; quite las que no son de la matrícula.`,
      en: `the header has ${count} columns and Cupo reads at most ${MAX_COLUMNS}; remove those that are not about enrolment.`,
    }),
  recordTooLong: (src: Source, line: number) =>
    problem('error', 'record_too_long', { src, line }, {
      es: `esta fila pasa de ${MAX_RECORD_CHARS.toLocaleString('es')} caracteres (¿unas comillas sin cerrar?), así que no es una fila de matrícula y no se leyó más.`,
      en: `this row runs past ${MAX_RECORD_CHARS.toLocaleString('en')} characters (an unclosed quote?), so it is not an enrolment row and nothing after it was read.`,
    }),
  unclosedQuote: (src: Source, line: number) =>
    problem('error', 'unclosed_quote', { src, line }, {
      es: 'unas comillas abiertas en esta fila no se cierran, y el resto del archivo quedaría dentro de un solo campo.',
      en: 'a quote opened in this row is never closed, which would put the rest of the file inside one field.',
    }),
  valueTooLong: (src: Source, line: number, column: string, length: number) =>
    problem('error', 'value_too_long', { src, line, column }, {
      es: `el valor tiene ${length} caracteres y el máximo es ${MAX_LABEL_CHARS}.`,
      en: `the value has ${length} characters and at most ${MAX_LABEL_CHARS} are allowed.`,
    }),
  controlCharacter: (src: Source, line: number, column: string, value: string) =>
    problem('error', 'control_character', { src, line, column, value }, {
      es: `${quoted(value)} contiene un carácter de control, que no es texto (¿un archivo dañado o mal exportado?).`,
      en: `${quoted(value)} contains a control character, which is not text (a damaged or badly exported file?).`,
    }),
  blankRows: (src: Source, line: number, count: number) =>
    problem('warning', 'blank_rows', { src, line }, {
      es: `${count} fila(s) sin datos, solo separadores o espacios, la primera aquí: se omitieron.`,
      en: `${count} row(s) hold nothing but separators or blanks, the first one here: they were skipped.`,
    }),
  fieldCount: (src: Source, line: number, found: number, expected: number) =>
    problem('error', found < expected ? 'too_few_fields' : 'too_many_fields', { src, line }, {
      es: `la fila tiene ${found} campos y el encabezado ${expected}.`,
      en: `the row has ${found} fields and the header has ${expected}.`,
    }),
  emptyValue: (src: Source, line: number, column: string) =>
    problem('error', 'empty_value', { src, line, column }, { es: 'el valor está vacío.', en: 'the value is empty.' }),
  badPeriod: (src: Source, line: number, column: string, value: string) =>
    problem('error', 'bad_period', { src, line, column, value }, {
      es: `${quoted(value)} no es un periodo reconocible (ejemplos: 2024, 202401, 2024-01, 2024-1, 2024-II, 2024_fall).`,
      en: `${quoted(value)} is not a period Cupo can read (examples: 2024, 202401, 2024-01, 2024-1, 2024-II, 2024_fall).`,
    }),
  dateForTerm: (src: Source, line: number, column: string, value: string) =>
    problem('error', 'date_for_term', { src, line, column, value }, {
      es: `la celda es una fecha (${value}) y los periodos de estos datos son ciclos, que una fecha no indica: escriba el ciclo como texto (por ejemplo 2025-1 o 2025-II).`,
      en: `the cell is a date (${value}) and these data's periods are terms, which a date does not name: type the term as text (2025-1 or 2025-II, say).`,
    }),
  badCount: (src: Source, line: number, column: string, value: string, reason: 'empty' | 'negative' | 'fraction' | 'not_a_number' | 'too_large') => {
    const why: Record<typeof reason, Bilingual> = {
      too_large: { es: `una clase no tiene más de ${MAX_COUNT.toLocaleString('es')} alumnos`, en: `a class does not have more than ${MAX_COUNT.toLocaleString('en')} students` },
      empty: { es: 'falta la cantidad de alumnos', en: 'the student count is missing' },
      negative: { es: 'una cantidad de alumnos no puede ser negativa', en: 'a student count cannot be negative' },
      fraction: { es: 'una cantidad de alumnos debe ser un número entero', en: 'a student count must be a whole number' },
      not_a_number: { es: 'no es un número', en: 'it is not a number' },
    };
    return problem('error', `count_${reason}`, { src, line, column, value }, {
      es: `${quoted(value)} no es una cantidad de alumnos válida: ${why[reason].es}.`,
      en: `${quoted(value)} is not a valid student count: ${why[reason].en}.`,
    });
  },
  badCapacity: (src: Source, line: number, column: string, value: string, reason: 'negative' | 'fraction' | 'not_a_number' | 'too_large') => {
    const why: Record<typeof reason, Bilingual> = {
      too_large: { es: `un aula no tiene más de ${MAX_COUNT.toLocaleString('es')} lugares`, en: `a room does not have more than ${MAX_COUNT.toLocaleString('en')} seats` },
      negative: { es: 'una capacidad no puede ser negativa', en: 'a capacity cannot be negative' },
      fraction: { es: 'una capacidad debe ser un número entero', en: 'a capacity must be a whole number' },
      not_a_number: { es: 'no es un número (deje la celda vacía si no se conoce)', en: 'it is not a number (leave the cell empty where it is not known)' },
    };
    return problem('error', `capacity_${reason}`, { src, line, column, value }, {
      es: `${quoted(value)} no es una capacidad válida: ${why[reason].es}.`,
      en: `${quoted(value)} is not a valid capacity: ${why[reason].en}.`,
    });
  },
  mixedPeriods: (src: Source, first: { line: number; value: string }, other: { line: number; value: string }, column: string) =>
    problem('error', 'mixed_period_notation', { src, line: other.line, column, value: other.value }, {
      es: `${quoted(other.value)} y ${quoted(first.value)} (${lineWord(src, first.line).es}) usan notaciones de periodo que no pueden ser ambas correctas (por ejemplo años y meses).`,
      en: `${quoted(other.value)} and ${quoted(first.value)} (${lineWord(src, first.line).en}) use period notations that cannot both be right (years and months, say).`,
    }),
  /** `fileKind` and `dbKind` are the kinds of period in words of each language ("meses", "months"). */
  frequencyMismatch: (src: Source, line: number, value: string, fileKind: Bilingual, dbKind: Bilingual, dbExample: string) =>
    problem('error', 'frequency_mismatch', { src, line, value }, {
      es: `los periodos de este archivo (${fileKind.es}, p. ej. ${quoted(value)}) no coinciden con los ya importados (${dbKind.es}, p. ej. ${quoted(dbExample)}); use la misma notación.`,
      en: `this file's periods (${fileKind.en}, e.g. ${quoted(value)}) do not match those already imported (${dbKind.en}, e.g. ${quoted(dbExample)}); use the same notation.`,
    }),
  /** Rows the mapping's filter left out: not errors, but said, with how many. */
  filteredRows: (src: Source, column: string, values: readonly string[], count: number) =>
    problem('warning', 'rows_filtered', { src, column }, {
      es: `se dejaron fuera ${count} fila(s) cuya columna «${shown(column)}» no es ${values.map((v) => `«${shown(v)}»`).join(' ni ')} (filtro del mapeo).`,
      en: `${count} row(s) whose column "${shown(column)}" is not ${values.map((v) => `"${shown(v)}"`).join(' or ')} were left out (the mapping's filter).`,
    }),
  allFiltered: (src: Source, column: string, values: readonly string[]) =>
    problem('error', 'all_rows_filtered', { src, column }, {
      es: `ninguna fila tiene ${values.map((v) => `«${shown(v)}»`).join(' ni ')} en la columna «${shown(column)}»: el filtro del mapeo las dejó todas fuera.`,
      en: `no row has ${values.map((v) => `"${shown(v)}"`).join(' or ')} in column "${shown(column)}": the mapping's filter left them all out.`,
    }),
  duplicateClasses: (src: Source, line: number, firstLine: number, count: number) =>
    problem('warning', 'duplicate_class', { src, line }, {
      es: `${count} fila(s) repiten una clase (periodo, sede, curso y horario) ya vista, la primera aquí (igual a la ${lineWord(src, firstLine).es}): sus alumnos se sumaron.`,
      en: `${count} row(s) repeat a class (period, site, course and schedule) already seen, the first one here (same as ${lineWord(src, firstLine).en}): their students were added together.`,
    }),
  duplicateStudents: (src: Source, line: number, count: number) =>
    problem('warning', 'duplicate_student', { src, line }, {
      es: `${count} fila(s) repiten un alumno ya inscrito en la misma clase (la primera aquí): cada alumno se contó una vez.`,
      en: `${count} row(s) repeat a student already enrolled in the same class (the first one here): each student was counted once.`,
    }),
  keyChanged: (src: Source) =>
    problem('warning', 'pseudonym_key_changed', { src }, {
      es: 'la clave que seudonimiza a los alumnos no es la de las importaciones anteriores: sus alumnos no se enlazarán con los de antes.',
      en: 'the key that pseudonymises students is not the one earlier imports used: these students will not be linked with earlier ones.',
    }),
};

export function firstErrorsFirst(list: ImportProblem[], limit: number): ImportProblem[] {
  return [...list.filter((p) => p.severity === 'error'), ...list.filter((p) => p.severity === 'warning')].slice(0, limit);
}
