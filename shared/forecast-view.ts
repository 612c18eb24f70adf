import { z } from 'zod';
import type { ForecastRow } from './reports';

/**
 * What the forecast screen is showing: its filters and its search. The screen filters with it, and an export of
 * "what is on screen" sends it to the engine, which keeps the same rows by the same rule.
 */
export const ForecastFilterSchema = z
  .object({
    site: z.string().max(200).optional(),
    course: z.string().max(200).optional(),
    schedule: z.string().max(200).optional(),
    search: z.string().max(200).optional(),
    decision: z.enum(['open', 'review', 'do_not_open']).optional(),
  })
  .strict();
export type ForecastFilter = z.infer<typeof ForecastFilterSchema>;

/** A row's text that the search looks in, in lower case. */
export function searchText(r: Pick<ForecastRow, 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL'>): string {
  return `${r.SEDE} ${r.CURSO_ACTUAL} ${r.HORARIO_ACTUAL}`.toLocaleLowerCase();
}

/** The rows a filter keeps, in their order. An empty field keeps every row. */
export function filterRows<R extends Pick<ForecastRow, 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL' | 'decision'>>(rows: readonly R[], filter: ForecastFilter): R[] {
  const needle = filter.search?.trim().toLocaleLowerCase() ?? '';
  return rows.filter(
    (r) =>
      (!filter.site || r.SEDE === filter.site) &&
      (!filter.course || r.CURSO_ACTUAL === filter.course) &&
      (!filter.schedule || r.HORARIO_ACTUAL === filter.schedule) &&
      (!filter.decision || r.decision === filter.decision) &&
      (!needle || searchText(r).includes(needle)),
  );
}

/** Whether a filter keeps every row (nothing chosen, nothing searched). */
export function isEmptyFilter(filter: ForecastFilter): boolean {
  return !filter.site && !filter.course && !filter.schedule && !filter.decision && !filter.search?.trim();
}
