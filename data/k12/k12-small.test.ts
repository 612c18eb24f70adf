import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateK12, k12Csv } from '../../bench/generate-k12';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the small K-12 fixture', () => {
  it('is exactly what the generator makes (npx tsx bench/generate-k12.ts data/k12/k12-small.csv --schools 60 --from 2014 --to 2023 --missing 2018 --seed 7)', () => {
    const rows = generateK12({ schools: 60, from: 2014, to: 2023, missing: [2018], seed: 7 });
    expect(fs.readFileSync(path.join(here, 'k12-small.csv'), 'utf8') === k12Csv(rows)).toBe(true);
    expect(new Set(rows.map((r) => r.year)).has(2018)).toBe(false);
  });
});
