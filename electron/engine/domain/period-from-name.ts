import path from 'node:path';
import { readPeriod } from './periods';

/**
 * Finds the period in a file's name ("2024_fall.csv", "matriculas-202401.csv", "ciclo 2024-II.csv"), for exports
 * that put one period per file and leave it out of the rows. Two-word periods are preferred to one-word ones.
 */
export function periodFromFileName(file: string): string | null {
  const words = path.basename(file, path.extname(file)).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  for (const size of [2, 1]) {
    for (let i = 0; i + size <= words.length; i++) {
      const candidate = words.slice(i, i + size).join('_');
      if (readPeriod(candidate)) return candidate;
    }
  }
  return null;
}
