import type { Bilingual } from '../../../shared/messages';
import type { Dimension } from '../../../shared/drift';

export type Lang = 'es' | 'en';
/** 0.123 → "12 %" / "12%"; below 1 % one decimal, so a small share is not shown as 0. */
export function pct(fraction: number, lang: Lang): string {
  const v = Math.abs(fraction) * 100;
  const text = v > 0 && v < 1 ? v.toFixed(1) : String(Math.round(v));
  const local = lang === 'es' ? text.replace('.', ',') : text;
  return lang === 'es' ? `${local} %` : `${local}%`;
}

/** A change with its sign: "+12 %", "−5 %". */
export function signedPct(fraction: number, lang: Lang): string {
  return `${fraction < 0 ? '−' : '+'}${pct(fraction, lang)}`;
}

export function num(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'es' ? 'es' : 'en-US', { maximumFractionDigits: 0 }).format(Math.round(n));
}

export function dec(x: number, lang: Lang, digits = 2): string {
  if (!Number.isFinite(x)) return '∞';
  const abs = Math.abs(x);
  const text = abs !== 0 && abs < 10 ** -digits ? x.toExponential(1) : x.toFixed(digits);
  return lang === 'es' ? text.replace('.', ',') : text;
}

const NOUN: Record<Dimension, { es: [string, string, string]; en: [string, string] }> = {
  // es: article + singular, plural, adjective agreement ('a' or 'o')
  site: { es: ['la sede', 'sedes', 'a'], en: ['site', 'sites'] },
  course: { es: ['el curso', 'cursos', 'o'], en: ['course', 'courses'] },
  schedule: { es: ['el horario', 'horarios', 'o'], en: ['schedule', 'schedules'] },
  class: { es: ['la clase', 'clases', 'a'], en: ['class', 'classes'] },
};

export function theNoun(d: Dimension, lang: Lang): string {
  return lang === 'es' ? NOUN[d].es[0] : NOUN[d].en[0];
}

export function plural(d: Dimension, lang: Lang): string {
  return lang === 'es' ? NOUN[d].es[1] : NOUN[d].en[1];
}

/** The Spanish ending that agrees with the dimension's gender: "nuevas sedes", "nuevos cursos". */
export function agree(d: Dimension): string {
  return NOUN[d].es[2];
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function examples(names: readonly string[], lang: Lang, limit = 3): string {
  const shown = names.slice(0, limit).join(', ');
  if (names.length <= limit) return shown;
  return lang === 'es' ? `${shown} y ${names.length - limit} más` : `${shown} and ${names.length - limit} more`;
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
