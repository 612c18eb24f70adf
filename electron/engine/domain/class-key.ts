/**
 * What names a class. Within a period a class is its site, course and schedule (`ClassLabels`, the same class from
 * one period to the next); a class in a given period (`ClassKey`) is what a target, an actual, a feature row and
 * a forecast row are about. Every key made of them is made and taken apart here, nowhere else.
 */
export interface ClassLabels {
  site: string;
  course: string;
  schedule: string;
}

export interface ClassKey extends ClassLabels {
  period: string;
}

/** Labels are joined with a control character that no school writes in a label. */
const SEPARATOR = '\u0001';

export function classKey(period: string, c: ClassLabels): ClassKey {
  return { period, site: c.site, course: c.course, schedule: c.schedule };
}

/** One string per class in a period, for maps; `parseClassKey` takes it apart again. */
export function keyString(k: ClassKey): string {
  return `${k.period}${SEPARATOR}${k.site}${SEPARATOR}${k.course}${SEPARATOR}${k.schedule}`;
}

export function parseClassKey(key: string): ClassKey {
  const parts = key.split(SEPARATOR);
  if (parts.length !== 4) throw new Error(`not a class key: ${JSON.stringify(key)}`);
  const [period, site, course, schedule] = parts as [string, string, string, string];
  return { period, site, course, schedule };
}

/** One string per class whatever the period, for maps and for the order classes are listed in. */
export function labelsString(c: ClassLabels): string {
  return `${c.site}${SEPARATOR}${c.course}${SEPARATOR}${c.schedule}`;
}

/** Labels that differ only in letter case are one label ("TuTh 9:30AM" in 2009 is "tuth 9:30am" in 2026). */
export function foldLabel(label: string): string {
  return label.toUpperCase();
}

/** The key of a class in a period with its labels folded: the same class however each label was spelled. */
export function foldedKeyString(k: ClassKey): string {
  return keyString({ period: k.period, site: foldLabel(k.site), course: foldLabel(k.course), schedule: foldLabel(k.schedule) });
}
