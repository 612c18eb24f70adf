/** The canonical fields of an enrolment file: every import is mapped onto these. */
export const CLASS_FIELDS = ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL'] as const;
export const COUNT_FIELD = 'ALUMNOS' as const;
export const STUDENT_FIELD = 'ID_ALUMNO' as const;
/** Optional: the seats of the class, where the school's export has them (blank is unknown). */
export const CAPACITY_FIELD = 'CAPACIDAD' as const;
export const CANONICAL_FIELDS = [...CLASS_FIELDS, COUNT_FIELD, STUDENT_FIELD, CAPACITY_FIELD] as const;

export type ClassField = (typeof CLASS_FIELDS)[number];
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** The first columns of every forecast export, in this order (what planners' spreadsheets expect). */
export const FORECAST_COLUMNS = ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS'] as const;

/** Right after the forecast columns: the 80 % interval of PREDICT_ALUMNOS. */
export const FORECAST_INTERVAL_COLUMNS = ['PREDICT_P10', 'PREDICT_P90'] as const;

/**
 * Where the classes expected to close go, beside a forecast file: `pronostico.csv` → `pronostico-cierres.csv`.
 * Shared, because the engine writes the pair and the command line copies it where the user asked.
 */
export function closingFileFor(file: string): string {
  const dot = file.lastIndexOf('.');
  const ext = dot > Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) ? file.slice(dot) : '';
  return `${file.slice(0, file.length - ext.length)}-cierres${ext || '.csv'}`;
}
