import type { PeriodFrequency, TotalCheck } from '../../../shared/reports';
import { parseCanonical } from '../domain/periods';

/** How many earlier comparable pairs of periods say how much a total may move. */
const HISTORY_PAIRS = 6;

/** The period a period is compared with: the same season last time within two years, else the period before. */
function comparable(periods: readonly string[], frequency: PeriodFrequency, target: string, before: number): number {
  if (frequency !== 'year') {
    const { year, slot } = parseCanonical(target);
    for (let j = before - 1; j >= 0; j--) {
      const p = parseCanonical(periods[j]!);
      if (year - p.year > 2) break;
      if (p.slot === slot && p.year < year) return j;
    }
  }
  return before - 1;
}

function fmt(n: number, locale: 'es-PE' | 'en-US', style: 'int' | 'pct' | 'signed'): string {
  if (style === 'int') return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0, ...(style === 'signed' ? { signDisplay: 'exceptZero' } : {}) }).format(n);
}

/**
 * Whether a forecast's total departs from the last comparable period by more than the history and the backtest
 * explain: more than the largest change between comparable periods before, plus the largest total error the
 * serving model made in its backtest. A planner then reads why before using it.
 */
export function totalCheck(
  periods: readonly string[],
  totals: readonly number[],
  frequency: PeriodFrequency,
  target: string,
  total: number,
  backtestTotalErrors: readonly number[],
  newCourseShare: number,
  show: (period: string) => string,
): TotalCheck | null {
  const P = periods.length;
  if (P === 0) return null;
  const reference = comparable(periods, frequency, target, P);
  if (reference < 0 || !(totals[reference]! > 0)) return null;
  let history = 0;
  for (let b = P - 1, pairs = 0; b >= 1 && pairs < HISTORY_PAIRS; b--) {
    const a = comparable(periods, frequency, periods[b]!, b);
    if (a < 0 || !(totals[a]! > 0) || !(totals[b]! > 0)) continue;
    history = Math.max(history, Math.abs(totals[b]! / totals[a]! - 1));
    pairs++;
  }
  const backtest = backtestTotalErrors.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  const allowed = history + backtest;
  const referenceTotal = totals[reference]!;
  // Students expected in courses not offered before: part of the next total, though no row can name them.
  const share = Math.min(Math.max(newCourseShare, 0), 0.9);
  const unlisted = Math.round((total * share) / (1 - share));
  const change = (total + unlisted) / referenceTotal - 1;
  const flagged = Math.abs(change) > allowed;
  const ref = show(periods[reference]!);
  const newCourses = unlisted > 0
    ? {
        es: ` Incluye unos ${fmt(unlisted, 'es-PE', 'int')} alumnos en cursos sin fila en el pronóstico (nuevos, o sin dictarse en dos años: el ${fmt(share, 'es-PE', 'pct')} de los alumnos en el backtest), que ninguna fila puede nombrar.`,
        en: ` It counts about ${fmt(unlisted, 'en-US', 'int')} students in courses with no forecast row (new, or not run for two years: ${fmt(share, 'en-US', 'pct')} of students in the backtest), which no row can name.`,
      }
    : { es: '', en: '' };
  const message = flagged
    ? {
        es: `El total pronosticado (${fmt(total + unlisted, 'es-PE', 'int')} alumnos) cambia ${fmt(change, 'es-PE', 'signed')} respecto de ${ref} (${fmt(referenceTotal, 'es-PE', 'int')}); entre periodos comparables el total cambió a lo sumo ${fmt(history, 'es-PE', 'pct')} y en el backtest el modelo erró el total en a lo sumo ${fmt(backtest, 'es-PE', 'pct')}: revise el pronóstico antes de usarlo.${newCourses.es}`,
        en: `The forecast total (${fmt(total + unlisted, 'en-US', 'int')} students) changes ${fmt(change, 'en-US', 'signed')} from ${ref} (${fmt(referenceTotal, 'en-US', 'int')}); between comparable periods the total changed at most ${fmt(history, 'en-US', 'pct')} and in the backtest the model missed the total by at most ${fmt(backtest, 'en-US', 'pct')}: review the forecast before using it.${newCourses.en}`,
      }
    : {
        es: `El total pronosticado (${fmt(total + unlisted, 'es-PE', 'int')} alumnos) cambia ${fmt(change, 'es-PE', 'signed')} respecto de ${ref} (${fmt(referenceTotal, 'es-PE', 'int')}), dentro de lo que el historial y el backtest explican (±${fmt(allowed, 'es-PE', 'pct')}).${newCourses.es}`,
        en: `The forecast total (${fmt(total + unlisted, 'en-US', 'int')} students) changes ${fmt(change, 'en-US', 'signed')} from ${ref} (${fmt(referenceTotal, 'en-US', 'int')}), within what the history and the backtest explain (±${fmt(allowed, 'en-US', 'pct')}).${newCourses.en}`,
      };
  return { flagged, total, unlisted, reference_period: ref, reference_total: referenceTotal, change, allowed, message };
}
