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

/** Whether any class of the forecast has a capacity (most imports carry none). */
export function hasCapacity(rows: readonly ForecastRow[]): boolean {
  return rows.some((r) => r.capacity !== null);
}

/**
 * The rule behind a class's decision, in a sentence, where there is one to say: above the maximum (how many
 * sections), a chance of falling short of the minimum between 30 % and 70 % (review), under the minimum. Empty for a
 * class that simply opens and fits its room. The sizes are the class's own (its site's or course's, where Settings name them).
 * A forecast above the room's capacity is said first, whatever the decision: the sizes in Settings do not know
 * the room.
 */
export function ruleText(r: ForecastRow, settings: Pick<Settings, 'minClassSize' | 'maxClassSize' | 'classSizes'>, own: ForecastOverride | undefined, intervals: boolean, i18n: I18n): string {
  const { t, int, pct } = i18n;
  if (own) return t('forecast.rule.own', { students: int(own.students), model: int(r.PREDICT_ALUMNOS), note: own.note });
  const sizes = sizesFor(settings, r.SEDE, r.CURSO_ACTUAL);
  const min = int(sizes.minClassSize);
  const max = int(sizes.maxClassSize);
  let key: 'sections' | 'sectionsShort' | 'risk' | 'near' | 'underRisk' | 'under' | null = null;
  let values: Record<string, string | number> = {};
  if (r.sections > 1) {
    key = r.decision === 'open' ? 'sections' : 'sectionsShort';
    values = { students: int(r.PREDICT_ALUMNOS), max, min, sections: int(r.sections) };
  } else if (r.decision === 'review') {
    key = intervals ? 'risk' : 'near';
    values = { chance: pct(r.p_below_min, 0), min, p10: int(r.p10), p90: int(r.p90), students: int(r.PREDICT_ALUMNOS), gap: int(sizes.minClassSize - r.PREDICT_ALUMNOS) };
  } else if (r.decision === 'do_not_open') {
    key = intervals ? 'underRisk' : 'under';
    values = { chance: pct(r.p_below_min, 0), min, students: int(r.PREDICT_ALUMNOS) };
  }
  const scope = sizes.scope === 'school' ? '' : t(`forecast.rule.scope.${sizes.scope}` as MessageKey);
  if (r.capacity === null || r.PREDICT_ALUMNOS <= r.capacity) return key ? t(`forecast.rule.${key}`, values) + scope : '';
  // The room first; the sections rule then goes on from it rather than saying the students twice.
  const then = key === 'sections' || key === 'sectionsShort' ? t(`forecast.rule.capacity.${key}`, values) + scope : key ? t(`forecast.rule.${key}`, values) + scope : t('forecast.rule.capacityOnly');
  return t('forecast.rule.capacity', { students: int(r.PREDICT_ALUMNOS), capacity: int(r.capacity), then });
}
