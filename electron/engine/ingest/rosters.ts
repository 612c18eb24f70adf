import { PSEUDONYM_BYTES } from '../domain/pseudonyms';
import { grown } from './plain-code';
import type { Pseudonymiser } from './pseudonymise';

/**
 * Enrolments as they stream in, as flat typed arrays of (class, row number in the Pseudonymiser, line): a million
 * rows are 12 MB, not a million objects. Grouped into one roster per class at the end, once the Pseudonymiser says
 * which student each row is.
 */
export class EnrolmentCollector {
  private classIndex = new Int32Array(1 << 14);
  private idRows = new Int32Array(1 << 14);
  private lines = new Int32Array(1 << 14);
  private count = 0;

  add(classIdx: number, idRow: number, line: number): void {
    if (this.count === this.classIndex.length) [this.classIndex, this.idRows, this.lines] = [grown(this.classIndex), grown(this.idRows), grown(this.lines)];
    this.classIndex[this.count] = classIdx;
    this.idRows[this.count] = idRow;
    this.lines[this.count] = line;
    this.count++;
  }

  /**
   * Each class's students as the Pseudonymiser's ordinals, each once, in the order they first appear (class c's are
   * `students[starts[c]]` to `students[starts[c + 1] - 1]`); call once it has settled. A student listed twice in one
   * class is counted once; `duplicates` says how many such rows there were and the first line.
   */
  members(classes: number, pseudonymiser: Pseudonymiser): { members: Members; duplicates: number; firstDuplicateLine: number } {
    const starts = new Int32Array(classes + 1);
    for (let i = 0; i < this.count; i++) starts[this.classIndex[i]! + 1]!++;
    for (let c = 0; c < classes; c++) starts[c + 1]! += starts[c]!;
    const fill = starts.slice(0, classes);
    const order = new Int32Array(this.count);
    // Rows are visited in file order, so within a class members stay in the order they were read.
    for (let i = 0; i < this.count; i++) order[fill[this.classIndex[i]!]!++] = i;

    // Each class's distinct students, packed: `lastClass[s]` says in which class student s was last seen.
    const lastClass = new Int32Array(pseudonymiser.size).fill(-1);
    const ordinals = pseudonymiser.ordinals;
    const students = new Int32Array(this.count);
    const kept = new Int32Array(classes + 1);
    let duplicates = 0;
    let firstDuplicateLine = Number.MAX_SAFE_INTEGER;
    let n = 0;
    for (let c = 0; c < classes; c++) {
      kept[c] = n;
      for (let k = starts[c]!; k < starts[c + 1]!; k++) {
        const row = order[k]!;
        const student = ordinals[this.idRows[row]!]!;
        if (lastClass[student] === c) {
          duplicates++;
          firstDuplicateLine = Math.min(firstDuplicateLine, this.lines[row]!);
          continue;
        }
        lastClass[student] = c;
        students[n++] = student;
      }
    }
    kept[classes] = n;
    return { members: { starts: kept, students: students.subarray(0, n) }, duplicates, firstDuplicateLine };
  }
}

export interface Members {
  starts: Int32Array;
  students: Int32Array;
}

/** One roster per class: its members' pseudonyms side by side (views of one buffer), null for a class with none. */
export function rostersOf({ starts, students }: Members, pseudonyms: Buffer): (Buffer | null)[] {
  // All rosters in one buffer, 16 bytes a student copied as four 32-bit words.
  const all = Buffer.alloc(students.length * PSEUDONYM_BYTES);
  const from = new Int32Array(pseudonyms.buffer, pseudonyms.byteOffset, pseudonyms.length >> 2);
  const to = new Int32Array(all.buffer, all.byteOffset, all.length >> 2);
  const words = PSEUDONYM_BYTES >> 2;
  for (let i = 0; i < students.length; i++) {
    const s = students[i]! * words;
    const t = i * words;
    for (let w = 0; w < words; w++) to[t + w] = from[s + w]!;
  }
  const classes = starts.length - 1;
  const rosters: (Buffer | null)[] = new Array(classes);
  for (let c = 0; c < classes; c++) rosters[c] = starts[c] === starts[c + 1] ? null : all.subarray(starts[c]! * PSEUDONYM_BYTES, starts[c + 1]! * PSEUDONYM_BYTES);
  return rosters;
}
