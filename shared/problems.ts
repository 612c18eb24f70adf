import type { Bilingual } from './messages';

export type ProblemSeverity = 'error' | 'warning';

/** One thing wrong (or worth knowing) about an imported file, located so a person can find it. */
export interface ImportProblem {
  severity: ProblemSeverity;
  code: string;
  file: string;
  /** 1-based physical line in the file (the header is line 1); absent for whole-file problems. */
  line?: number;
  /** The column as named in the file's header. */
  column?: string;
  value?: string;
  message: Bilingual;
}
