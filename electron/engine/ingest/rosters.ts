import { PSEUDONYM_BYTES } from '../domain/pseudonyms';
import type { Pseudonymiser } from './pseudonymise';

/**
 * Enrolments as they stream in, as flat typed arrays of (class, student ordinal, line): a million rows are
 * 12 MB, not a million objects. Grouped into one roster per class at the end.
 */
export class EnrolmentCollector {
  private classIndex = new Int32Array(1 << 14);
  private students = new Int32Array(1 << 14);
  private lines = new Int32Array(1 << 14);
  private count = 0;

  add(classIdx: number, studentOrdinal: number, line: number): void {
    if (this.count === this.classIndex.length) {
      const grow = (a: Int32Array) => {
        const bigger = new Int32Array(a.length * 2);
        bigger.set(a);
        return bigger;
      };
      [this.classIndex, this.students, this.lines] = [grow(this.classIndex), grow(this.students), grow(this.lines)];
    }
    this.classIndex[this.count] = classIdx;
    this.students[this.count] = studentOrdinal;
    this.lines[this.count] = line;
    this.count++;
  }

  /**
   * One roster per class: the pseudonyms of its students, each once, in the order they first appear. A student
   * listed twice in one class is counted once; `duplicates` says how many such rows there were and the first line.
   */
  rosters(classes: number, pseudonyms: Pseudonymiser): { rosters: (Buffer | null)[]; duplicates: number; firstDuplicateLine: number } {
    const starts = new Int32Array(classes + 1);
    for (let i = 0; i < this.count; i++) starts[this.classIndex[i]! + 1]!++;
    for (let c = 0; c < classes; c++) starts[c + 1]! += starts[c]!;
    const fill = starts.slice(0, classes);
    const members = new Int32Array(this.count);
    // Rows are visited in file order, so within a class members stay in the order they were read.
    for (let i = 0; i < this.count; i++) members[fill[this.classIndex[i]!]!++] = i;

    const rosters: (Buffer | null)[] = new Array(classes).fill(null);
    let duplicates = 0;
    let firstDuplicateLine = Number.MAX_SAFE_INTEGER;
    const seen = new Set<number>();
    for (let c = 0; c < classes; c++) {
      const from = starts[c]!;
      const to = starts[c + 1]!;
      if (from === to) continue;
      seen.clear();
      const roster = Buffer.alloc((to - from) * PSEUDONYM_BYTES);
      let kept = 0;
      for (let k = from; k < to; k++) {
        const row = members[k]!;
        const student = this.students[row]!;
        if (seen.has(student)) {
          duplicates++;
          firstDuplicateLine = Math.min(firstDuplicateLine, this.lines[row]!);
          continue;
        }
        seen.add(student);
        pseudonyms.copyPseudonym(student, roster, kept++ * PSEUDONYM_BYTES);
      }
      rosters[c] = roster.subarray(0, kept * PSEUDONYM_BYTES);
    }
    return { rosters, duplicates, firstDuplicateLine };
  }
}
