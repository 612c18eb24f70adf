import type { Settings } from '../../../shared/contract';
import type { Decision } from '../../../shared/reports';

type Sizes = Pick<Settings, 'minClassSize' | 'maxClassSize'>;

/** Below this probability of ending under the minimum a class opens; above LIKELY_UNDER it does not; between, review. */
export const UNLIKELY_UNDER = 0.3;
export const LIKELY_UNDER = 0.7;

/** Sections to open for a forecast: one, or as many as keep each within the maximum class size (27 with max 25: 2). */
export function sectionsFor(students: number, settings: Sizes): number {
  return students > settings.maxClassSize ? Math.ceil(students / settings.maxClassSize) : 1;
}

/**
 * What to do with a forecast class. Above the maximum: open it in several sections when each would still reach
 * the minimum, else review. Otherwise, with the interval's probability of ending below the minimum: open when it
 * is unlikely (< 30 %), do not open when it is likely (> 70 %), review between. Without intervals (a model from
 * before them): open from the minimum up, review just under it (a few late enrolments would save it).
 */
export function decide(students: number, settings: Sizes, risk?: { pBelowMin: number }): Decision {
  const sections = sectionsFor(students, settings);
  if (sections > 1) return students / sections >= settings.minClassSize ? 'open' : 'review';
  if (risk) return risk.pBelowMin < UNLIKELY_UNDER ? 'open' : risk.pBelowMin > LIKELY_UNDER ? 'do_not_open' : 'review';
  if (students >= settings.minClassSize) return 'open';
  return students >= settings.minClassSize - reviewMargin(settings.minClassSize) ? 'review' : 'do_not_open';
}

/** How far under the minimum a class is still worth reviewing rather than not opening. */
export function reviewMargin(minClassSize: number): number {
  return Math.max(1, Math.round(minClassSize * 0.2));
}
