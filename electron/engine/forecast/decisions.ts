import type { Settings } from '../../../shared/contract';
import type { Decision } from '../../../shared/reports';

/**
 * Open a class whose forecast is within the sizes the school allows; review one just under the minimum (a few
 * late enrolments would save it) or over the maximum (it may need splitting); do not open one well under it.
 */
export function decide(students: number, settings: Pick<Settings, 'minClassSize' | 'maxClassSize'>): Decision {
  if (students > settings.maxClassSize) return 'review';
  if (students >= settings.minClassSize) return 'open';
  const margin = Math.max(1, Math.round(settings.minClassSize * 0.2));
  return students >= settings.minClassSize - margin ? 'review' : 'do_not_open';
}
