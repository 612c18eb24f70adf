import type { PlatinumTransition } from '../snapshots/platinum';

/** Kindergarten and pre-kindergarten, however a school writes them: the rungs before grade 1. */
const EARLY_YEARS: [RegExp, number][] = [
  [/^(.*?)(?:PRE-?K|PK|PRE-?KINDER(?:GARTEN)?|PREKINDER)$/i, -1],
  [/^(.*?)(?:KG|K|KINDER(?:GARTEN)?)$/i, 0],
];

/**
 * A course code read as family + number: "BAS02" → BAS#, 2; "GRADO_10" → GRADO_#, 10; "CS 2150 Lecture" → CS # LECTURE,
 * 2150; kindergarten is rung 0 of its family ("K" → #, 0; "Grade K" → GRADE #, 0), pre-kindergarten −1.
 */
export function courseRung(course: string): { family: string; number: number } | null {
  const text = course.trim();
  const m = /^(.*?)(\d+)(\D*)$/.exec(text);
  if (m) return { family: `${m[1]!.toUpperCase()}#${m[3]!.toUpperCase()}`, number: Number(m[2]) };
  for (const [pattern, number] of EARLY_YEARS) {
    const k = pattern.exec(text);
    if (k && (k[1] === '' || /[\s_-]$/.test(k[1]!))) return { family: `${k[1]!.toUpperCase()}#`, number };
  }
  return null;
}

/** Transitions with fewer students than this are noise (a student repeating out of order), not a ladder. */
const MIN_TRANSITION_STUDENTS = 5;

/**
 * The course each course is fed by (the one before it in the progression): from observed student transitions
 * where ids were imported, otherwise the order of the codes within a family where they count up one by one
 * (BAS01 < BAS02 … BAS10; K < 1 < 2 … 12). Numbers with gaps (CS 2100, CS 2110, CS 2150) are a catalogue, not a
 * ladder: no course there is assumed to feed the next.
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
    for (let i = 1; i < list.length; i++) if (list[i]!.number === list[i - 1]!.number + 1) feeders.set(list[i]!.course, list[i - 1]!.course);
  }

  const incoming = new Map<string, Map<string, number>>();
  for (const t of transitions) {
    if (t.from_course === t.to_course) continue;
    const into = incoming.get(t.to_course) ?? new Map<string, number>();
    into.set(t.from_course, (into.get(t.from_course) ?? 0) + t.students);
    incoming.set(t.to_course, into);
  }
  for (const [to, from] of [...incoming].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const total = [...from.values()].reduce((a, b) => a + b, 0);
    const [best, students] = [...from.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    if (students >= MIN_TRANSITION_STUDENTS && students >= 0.5 * total) feeders.set(to, best);
  }
  return feeders;
}

/**
 * The ladder as it could be known when period `historyEnd` was still to come: the courses that had run, and the
 * student transitions already completed (from a period to the next, both before `historyEnd`). A backtest fold
 * never learns its ladder from the periods it predicts.
 */
export function feedersKnownAt(
  periods: readonly string[],
  coursesByFirstRun: readonly { course: string; firstRun: number }[],
  transitions: readonly PlatinumTransition[],
  historyEnd: number,
): Map<string, string> {
  const index = new Map(periods.map((p, i) => [p, i]));
  const courses = [...new Set(coursesByFirstRun.filter((c) => c.firstRun < historyEnd).map((c) => c.course))];
  const known = transitions.filter((t) => (index.get(t.from_period) ?? Infinity) + 1 < historyEnd);
  return inferFeeders(courses, known);
}
