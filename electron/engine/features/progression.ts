import type { PlatinumTransition } from '../snapshots/platinum';

/** A course code read as family + number: "BAS02" → BAS#, 2; "GRADO_10" → GRADO_#, 10; "CS 2150 Lecture" → CS # LECTURE, 2150. */
export function courseRung(course: string): { family: string; number: number } | null {
  const m = /^(.*?)(\d+)(\D*)$/.exec(course.trim());
  if (!m) return null;
  return { family: `${m[1]!.toUpperCase()}#${m[3]!.toUpperCase()}`, number: Number(m[2]) };
}

/** Transitions with fewer students than this are noise (a student repeating out of order), not a ladder. */
const MIN_TRANSITION_STUDENTS = 5;

/**
 * The course each course is fed by (the one before it in the progression): from observed student transitions
 * where ids were imported, otherwise the natural order of the codes within a family (BAS01 < BAS02 … BAS10).
 */
export function inferFeeders(courses: readonly string[], transitions: readonly PlatinumTransition[]): Map<string, string> {
  const feeders = new Map<string, string>();
  const byFamily = new Map<string, { course: string; number: number }[]>();
  for (const course of courses) {
    const rung = courseRung(course);
    if (!rung) continue;
    const list = byFamily.get(rung.family) ?? [];
    list.push({ course, number: rung.number });
    byFamily.set(rung.family, list);
  }
  for (const list of byFamily.values()) {
    list.sort((a, b) => a.number - b.number || (a.course < b.course ? -1 : 1));
    for (let i = 1; i < list.length; i++) if (list[i]!.number !== list[i - 1]!.number) feeders.set(list[i]!.course, list[i - 1]!.course);
  }

  const incoming = new Map<string, Map<string, number>>();
  for (const t of transitions) {
    if (t.from_course === t.to_course) continue;
    const into = incoming.get(t.to_course) ?? new Map<string, number>();
    into.set(t.from_course, (into.get(t.from_course) ?? 0) + t.students);
    incoming.set(t.to_course, into);
  }
  for (const [to, from] of incoming) {
    const total = [...from.values()].reduce((a, b) => a + b, 0);
    const [best, students] = [...from.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    if (students >= MIN_TRANSITION_STUDENTS && students >= 0.5 * total) feeders.set(to, best);
  }
  return feeders;
}
