import { sizesFor } from '../../shared/class-sizes';
import type { Settings } from '../../shared/contract';
import type { ForecastOverride, ForecastRow } from '../../shared/reports';
import type { I18n } from '../i18n';
import type { MessageKey } from '../messages';

/** A class's key, for finding its planner's number. */
export const classKey = (r: Pick<ForecastRow, 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL'>) => `${r.SEDE}\u0000${r.CURSO_ACTUAL}\u0000${r.HORARIO_ACTUAL}`;

/** Whether the forecast carries intervals (a model from before them gives p10 = p90 = the forecast on every row). */
export function hasIntervals(rows: readonly ForecastRow[]): boolean {
  return rows.some((r) => r.p10 !== r.PREDICT_ALUMNOS || r.p90 !== r.PREDICT_ALUMNOS);
}

/**
 * The rule behind a class's decision, in a sentence, where there is one to say: above the maximum (how many
 * sections), a chance of falling short of the minimum between 30 % and 70 % (review), under the minimum. Empty for a
 * class that simply opens. The sizes are the class's own (its site's or course's, where Settings name them).
 */
export function ruleText(r: ForecastRow, settings: Pick<Settings, 'minClassSize' | 'maxClassSize' | 'classSizes'>, own: ForecastOverride | undefined, intervals: boolean, i18n: I18n): string {
  const { t, int, pct } = i18n;
  if (own) return t('forecast.rule.own', { students: int(own.students), model: int(r.PREDICT_ALUMNOS), note: own.note });
  const sizes = sizesFor(settings, r.SEDE, r.CURSO_ACTUAL);
  const min = int(sizes.minClassSize);
  const max = int(sizes.maxClassSize);
  let key: MessageKey | null = null;
  let values: Record<string, string | number> = {};
  if (r.sections > 1) {
    key = r.decision === 'open' ? 'forecast.rule.sections' : 'forecast.rule.sectionsShort';
    values = { students: int(r.PREDICT_ALUMNOS), max, min, sections: int(r.sections) };
  } else if (r.decision === 'review') {
    key = intervals ? 'forecast.rule.risk' : 'forecast.rule.near';
    values = { chance: pct(r.p_below_min, 0), min, p10: int(r.p10), p90: int(r.p90), students: int(r.PREDICT_ALUMNOS), gap: int(sizes.minClassSize - r.PREDICT_ALUMNOS) };
  } else if (r.decision === 'do_not_open') {
    key = intervals ? 'forecast.rule.underRisk' : 'forecast.rule.under';
    values = { chance: pct(r.p_below_min, 0), min, students: int(r.PREDICT_ALUMNOS) };
  }
  if (!key) return '';
  return t(key, values) + (sizes.scope === 'school' ? '' : t(`forecast.rule.scope.${sizes.scope}` as MessageKey));
}
