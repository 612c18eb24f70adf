/**
 * Weights of a combination of candidates, chosen to make the fewest students misplaced (WAPE) on forecasts the
 * candidates made of periods they had not seen — never on the period the combination is then judged on.
 * Greedy forward selection with replacement (Caruana et al., 2004): start from the best candidate and keep adding
 * the one that most lowers the error; weights are how often each was picked. Simple, never worse than the best
 * single candidate on the data it is chosen on, and robust to candidates that agree with each other.
 */
const PICKS = 20;

export function ensembleWeights(members: readonly Float64Array[], actual: Float64Array): number[] {
  const k = members.length;
  const counts = new Array<number>(k).fill(0);
  if (k === 0 || actual.length === 0) return counts.map((_, i) => (i === 0 ? 1 : 0));
  const sum = new Float64Array(actual.length);
  const errorWith = (j: number, picks: number) => {
    let e = 0;
    const m = members[j]!;
    for (let i = 0; i < actual.length; i++) e += Math.abs(actual[i]! - (sum[i]! + m[i]!) / (picks + 1));
    return e;
  };
  for (let pick = 0; pick < PICKS; pick++) {
    let best = 0;
    let bestError = Infinity;
    for (let j = 0; j < k; j++) {
      const e = errorWith(j, pick);
      if (e < bestError - 1e-9) {
        bestError = e;
        best = j;
      }
    }
    counts[best]!++;
    const m = members[best]!;
    for (let i = 0; i < actual.length; i++) sum[i]! += m[i]!;
  }
  return counts.map((c) => c / PICKS);
}

export function combine(members: readonly Float64Array[], weights: readonly number[], length: number): Float64Array {
  const out = new Float64Array(length);
  members.forEach((m, j) => {
    const w = weights[j]!;
    if (w > 0) for (let i = 0; i < length; i++) out[i]! += w * m[i]!;
  });
  return out;
}
