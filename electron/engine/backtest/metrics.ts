/** Errors of one forecast against what happened, over every class that was forecast or that ran. */
export interface ErrorTally {
  absoluteError: number;
  actual: number;
  predicted: number;
  classes: number;
}

export function emptyTally(): ErrorTally {
  return { absoluteError: 0, actual: 0, predicted: 0, classes: 0 };
}

export function addToTally(t: ErrorTally, actual: number, predicted: number): void {
  t.absoluteError += Math.abs(actual - predicted);
  t.actual += actual;
  t.predicted += predicted;
  t.classes++;
}

export function mergeTallies(list: readonly ErrorTally[]): ErrorTally {
  return list.reduce((a, b) => ({ absoluteError: a.absoluteError + b.absoluteError, actual: a.actual + b.actual, predicted: a.predicted + b.predicted, classes: a.classes + b.classes }), emptyTally());
}

/** Weighted absolute percentage error: total students misplaced over total students; fair to small classes. */
export function wape(t: ErrorTally): number {
  return t.actual > 0 ? t.absoluteError / t.actual : t.absoluteError > 0 ? 1 : 0;
}

export function mae(t: ErrorTally): number {
  return t.classes > 0 ? t.absoluteError / t.classes : 0;
}

export function bias(t: ErrorTally): number {
  return t.actual > 0 ? (t.predicted - t.actual) / t.actual : 0;
}
