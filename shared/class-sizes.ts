import { z } from 'zod';

/**
 * Class sizes for one site, one course, or one course at one site: a lab of 12 seats, a site with small rooms, a
 * course that runs in the auditorium. Settings keep the school's pair (minimum to open, maximum per class) and any
 * number of these; each class is judged by the most specific one that names it.
 */
export const ClassSizeRuleSchema = z
  .object({
    site: z.string().trim().min(1).max(200).optional(),
    course: z.string().trim().min(1).max(200).optional(),
    minClassSize: z.number().int().min(1).max(500),
    maxClassSize: z.number().int().min(1).max(1000),
  })
  .strict()
  .refine((r) => r.site !== undefined || r.course !== undefined, {
    message: 'a rule names a site, a course or both',
    params: { sentence: { es: 'Cada tamaño particular debe indicar una sede, un curso o ambos.', en: 'Each particular size must name a site, a course or both.' } },
  })
  .refine((r) => r.minClassSize <= r.maxClassSize, {
    message: 'minClassSize must not exceed maxClassSize',
    params: { sentence: { es: 'En un tamaño particular, el mínimo no puede ser mayor que el máximo.', en: 'In a particular size, the minimum cannot be above the maximum.' } },
  });
export type ClassSizeRule = z.infer<typeof ClassSizeRuleSchema>;

/** Where the sizes that judge a class come from, most specific first. */
export type SizeScope = 'site_course' | 'course' | 'site' | 'school';

export interface ClassSizes {
  minClassSize: number;
  maxClassSize: number;
  scope: SizeScope;
}

/** Labels compared as people read them: case and the spaces around do not matter. */
const same = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/**
 * The sizes that judge one class: a rule naming its course at its site, else one naming its course, else one naming
 * its site, else the school's pair. Of two rules equally specific, the later one (the one added last) wins.
 */
export function sizesFor(settings: { minClassSize: number; maxClassSize: number; classSizes?: readonly ClassSizeRule[] | undefined }, site: string, course: string): ClassSizes {
  let best: { rule: ClassSizeRule; scope: SizeScope; rank: number } | null = null;
  for (const rule of settings.classSizes ?? []) {
    const siteOk = rule.site === undefined || same(rule.site, site);
    const courseOk = rule.course === undefined || same(rule.course, course);
    if (!siteOk || !courseOk) continue;
    const scope: SizeScope = rule.site !== undefined && rule.course !== undefined ? 'site_course' : rule.course !== undefined ? 'course' : 'site';
    const rank = scope === 'site_course' ? 3 : scope === 'course' ? 2 : 1;
    if (!best || rank >= best.rank) best = { rule, scope, rank };
  }
  return best
    ? { minClassSize: best.rule.minClassSize, maxClassSize: best.rule.maxClassSize, scope: best.scope }
    : { minClassSize: settings.minClassSize, maxClassSize: settings.maxClassSize, scope: 'school' };
}
