import type { Formatter } from '../../../shared/format';
import type { Bilingual, Locale } from '../../../shared/messages';

/**
 * What only the drift and alert sentences need beside shared/format.ts: the names of the columns and tests, how
 * a share and a test statistic are written, and the ICU fragments that name a dimension with its article, its
 * plural and its gender ("la sede" / "nuevos cursos") inside a message's `select` on `d`.
 */

/** "12%": a share without its sign, whole; one decimal below 1 %, so a small share is not shown as 0. */
export function sharePct(fraction: number, f: Formatter): string {
  const v = Math.abs(fraction);
  return f.pct(v, v > 0 && v < 0.01 ? 1 : 0);
}

/** A change with its sign, as precise as `sharePct`: "+12%", "-5%". */
export function change(fraction: number, f: Formatter): string {
  const v = Math.abs(fraction);
  return f.signedPct(fraction, v > 0 && v < 0.01 ? 1 : 0);
}

/** A test statistic with `digits` decimals; a tiny one in scientific notation ("1.2e-7"), never rounded to 0. */
export function stat(x: number, f: Formatter, digits = 2): string {
  if (!Number.isFinite(x)) return '∞';
  const abs = Math.abs(x);
  if (abs === 0 || abs >= 10 ** -digits) return f.fixed(x, digits);
  const [mantissa, exponent] = x.toExponential(1).split('e');
  return `${f.one(Number(mantissa))}e${exponent}`;
}

/** ICU fragments on the argument `d` (a Dimension): a message's own words for it, agreement included. */
export const DIMENSION: Record<Locale, { the: string; one: string; other: string }> = {
  es: {
    the: '{d, select, site {La sede} course {El curso} schedule {El horario} other {La clase}}',
    one: '{d, select, site {sede} course {curso} schedule {horario} other {clase}}',
    other: '{d, select, site {sedes} course {cursos} schedule {horarios} other {clases}}',
  },
  en: {
    the: '{d, select, site {Site} course {Course} schedule {Schedule} other {Class}}',
    one: '{d, select, site {site} course {course} schedule {schedule} other {class}}',
    other: '{d, select, site {sites} course {courses} schedule {schedules} other {classes}}',
  },
};

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export const COLUMN_NAMES: Record<string, Bilingual> = {
  class_size: { es: 'alumnos por clase', en: 'students per class' },
  site_mix: { es: 'reparto de alumnos entre sedes', en: 'students across sites' },
  course_mix: { es: 'reparto de alumnos entre cursos', en: 'students across courses' },
  schedule_mix: { es: 'reparto de alumnos entre horarios', en: 'students across schedules' },
  progression_rate: { es: 'tasa de paso al curso siguiente', en: 'progression rate to the next course' },
};

export const TEST_NAMES: Record<string, Bilingual> = {
  ks: { es: 'prueba de Kolmogorov-Smirnov', en: 'Kolmogorov-Smirnov test' },
  chisquare: { es: 'prueba chi-cuadrado', en: 'chi-square test' },
  z: { es: 'prueba z de proporciones', en: 'z-test of proportions' },
  wasserstein: { es: 'distancia de Wasserstein normalizada', en: 'normalised Wasserstein distance' },
  jensenshannon: { es: 'distancia de Jensen-Shannon', en: 'Jensen-Shannon distance' },
};
