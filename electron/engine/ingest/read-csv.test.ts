import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from './read-csv';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-read-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A file of `rows` rows whose characters of two, three and four bytes fall across every kind of boundary the
 * reader has: its 16 KB pieces of text, its first megabyte and its quarter-megabyte reads.
 */
function awkwardFile(name: string, rows: number): { file: string; bytes: Buffer; records: string[][] } {
  const records: string[][] = [];
  const lines = ['PERIODO,SEDE,CURSO_ACTUAL'];
  for (let i = 0; i < rows; i++) {
    const site = ['Ñuñoa', 'Sede €', 'Cañas 🎓', 'NORTE'][i % 4]!;
    const course = i % 7 === 0 ? `"Inglés, nivel ${i % 9}"` : `C${i % 97}`;
    records.push(['202401', site, course.replaceAll('"', '')]);
    lines.push(`202401,${site},${course}`);
  }
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return { file, bytes, records };
}

async function read(file: string) {
  const records: string[][] = [];
  const result = await readCsv(file, 'utf8', { onHeader: () => {}, onRecord: (fields) => records.push(fields), strictUtf8: true });
  return { result, records };
}

// A file over 8 MB is read on a thread of its own, a smaller one on this thread, by the same code: both are held to
// the same answers.
describe.each([
  { where: 'on this thread', rows: 90_000, size: (1 << 20) + (3 << 16) },
  { where: 'on the reading thread', rows: 420_000, size: 9 << 20 },
])('reading a UTF-8 file $where', ({ where, rows, size }) => {
  it('gives every record and the hash of every byte, whatever boundary a character falls on', async () => {
    const { file, bytes, records } = awkwardFile(`awkward-${rows}.csv`, rows);
    expect(bytes.length > 8 << 20).toBe(where === 'on the reading thread');
    const { result, records: got } = await read(file);
    expect(result.notUtf8).toBe(false);
    expect(result.records).toBe(records.length);
    expect(got).toEqual(records);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('says the file is not UTF-8 for a byte that cannot be, past the first megabyte, for a lone first byte of a character, and for a character cut short at the end', async () => {
    const megabyte = 1 << 20;
    const file = path.join(dir, `bad-${rows}.csv`);
    const text = Buffer.alloc(size, 'a');
    text.write('PERIODO,SEDE\n', 0);
    for (let at = 100; at < text.length; at += 100) text[at] = 0x0a;
    const broken = Buffer.from(text);
    broken[size - 5000] = 0xff;
    fs.writeFileSync(file, broken);
    expect((await read(file)).result.notUtf8).toBe(true);

    // Past the first megabyte: a lead byte ending a piece of text, pieces of plain ASCII, then a byte that would
    // complete the lead byte.
    const lone = Buffer.from(text);
    lone[megabyte + (1 << 16) - 1] = 0xc3;
    lone[megabyte + (2 << 16)] = 0xb1;
    fs.writeFileSync(file, lone);
    expect((await read(file)).result.notUtf8).toBe(true);

    const cut = Buffer.concat([text, Buffer.from('€').subarray(0, 2)]);
    fs.writeFileSync(file, cut);
    expect((await read(file)).result.notUtf8).toBe(true);
  });
});
