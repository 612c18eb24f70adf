import type { ClassLabels } from '../domain/class-key';

/**
 * Whole students that add up: within each course at each site, every class gets its expected students rounded
 * down, and the students left over (the rounded sum of the expectations minus the sum rounded down) go one each to
 * the classes with the largest fractions (largest-remainder rounding). Where a course has one class this is plain
 * rounding; where it has many small sections (ten of 0.4 students each), four of them get a student instead of all
 * ten getting none, so a course's and a site's totals are what the model expects, not what rounding left of it.
 */
export function roundCoherently(keys: readonly ClassLabels[], expected: Float64Array): Int32Array {
  const out = new Int32Array(keys.length);
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const key = `${k.site}\u0001${k.course}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  for (const members of groups.values()) {
    let sum = 0;
    let floors = 0;
    for (const i of members) {
      const e = Math.max(0, expected[i]!);
      sum += e;
      out[i] = Math.floor(e);
      floors += out[i]!;
    }
    let left = Math.round(sum) - floors;
    if (left <= 0) continue;
    const byFraction = [...members].sort((a, b) => {
      const fa = Math.max(0, expected[a]!) - out[a]!;
      const fb = Math.max(0, expected[b]!) - out[b]!;
      return fb - fa || a - b;
    });
    for (const i of byFraction) {
      if (left-- <= 0) break;
      out[i]!++;
    }
  }
  return out;
}
