import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
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
  show: (period: string, f: Formatter) => string,
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
  const all = total + unlisted;
  const newCourses = (f: Formatter) =>
    unlisted === 0
      ? ''
      : f.lang === 'es'
        ? ` Incluye unos ${f.int(unlisted)} alumnos en cursos sin fila en el pronóstico (nuevos, o sin dictarse en dos años: el ${f.pct(share)} de los alumnos en el backtest), que ninguna fila puede nombrar.`
        : ` It counts about ${f.int(unlisted)} students in courses with no forecast row (new, or not run for two years: ${f.pct(share)} of students in the backtest), which no row can name.`;
  const message = both((f) => {
    const from = `${show(periods[reference]!, f)} (${f.int(referenceTotal)})`;
    if (f.lang === 'es') {
      return flagged
        ? `El total pronosticado (${f.int(all)} alumnos) cambia ${f.signedPct(change)} respecto de ${from}; entre periodos comparables el total cambió a lo sumo ${f.pct(history)} y en el backtest el modelo erró el total en a lo sumo ${f.pct(backtest)}: revise el pronóstico antes de usarlo.${newCourses(f)}`
        : `El total pronosticado (${f.int(all)} alumnos) cambia ${f.signedPct(change)} respecto de ${from}, dentro de lo que el historial y el backtest explican (±${f.pct(allowed)}).${newCourses(f)}`;
    }
    return flagged
      ? `The forecast total (${f.int(all)} students) changes ${f.signedPct(change)} from ${from}; between comparable periods the total changed at most ${f.pct(history)} and in the backtest the model missed the total by at most ${f.pct(backtest)}: review the forecast before using it.${newCourses(f)}`
      : `The forecast total (${f.int(all)} students) changes ${f.signedPct(change)} from ${from}, within what the history and the backtest explain (±${f.pct(allowed)}).${newCourses(f)}`;
  });
  return { flagged, total, unlisted, reference_period: periods[reference]!, reference_total: referenceTotal, change, allowed, message };
}
