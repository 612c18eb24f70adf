import type { Settings } from '../../../shared/contract';
import type { Decision } from '../../../shared/reports';

/**
 * Open a class whose forecast is within the sizes the school allows; review one just under the minimum (a few
 * late enrolments would save it) or over the maximum (it may need splitting); do not open one well under it.
 */
export function decide(students: number, settings: Pick<Settings, 'minClassSize' | 'maxClassSize'>): Decision {
  if (students > settings.maxClassSize) return 'review';
  if (students >= settings.minClassSize) return 'open';
  return students >= settings.minClassSize - reviewMargin(settings.minClassSize) ? 'review' : 'do_not_open';
}

/** How far under the minimum a class is still worth reviewing rather than not opening. */
export function reviewMargin(minClassSize: number): number {
  return Math.max(1, Math.round(minClassSize * 0.2));
}
