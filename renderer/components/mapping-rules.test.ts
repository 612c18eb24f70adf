import { describe, expect, it } from 'vitest';
import type { FilePreview } from '../../shared/contract';
import type { SavedMapping } from '../../shared/reports';
import { finalMapping, groupFiles, mappingProblems } from './mapping-rules';

const BASE = ['Mnemonic', 'Number', 'Type', 'Days1', 'Enrollment'];
function preview(name: string, headers: string[], periodFromName: string | null = name.replace(/\.csv$/, '')): FilePreview {
  return { fileId: `f-${name}`, name, encoding: 'UTF-8', delimiter: ',', headers, rows: [['AAS', '1010', 'Lecture', 'TuTh', '12']], guessedMapping: { ALUMNOS: 'Enrollment' }, periodFromName, problems: [], sheets: [], sheet: null, headerRow: null };
}
const saved: SavedMapping = {
  name: 'UVA',
  mapping: { SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number', 'Type'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment', filter: { column: 'Type', values: ['Lecture'] } },
  period_from_name: true,
  headers: BASE,
  created_at: '2026-11-23T10:00:00Z',
  updated_at: '2026-11-23T10:00:00Z',
};
const say = (f: string) => f;
const list = (names: string[]) => names.join(', ');

describe('files grouped by their columns, one mapping each', () => {
  it('puts files with the same columns, or with columns added to them, in one group; others apart', () => {
    const previews = [preview('2009_fall.csv', BASE), preview('2024_fall.csv', [...BASE, 'Cost']), preview('2009_spring.csv', BASE), preview('otro.csv', ['PERIODO', 'SEDE'])];
    const groups = groupFiles(previews, []);
    expect(groups.map((g) => g.files)).toEqual([[0, 1, 2], [3]]);
    expect(groups[0]).toMatchObject({ headers: BASE, extra: ['Cost'] });
    // No period column, and every name holds one: taken from the names.
    expect(groups[0]!.draft.periodFromName).toBe(true);
  });

  it('starts from the saved mapping made for those columns, filter included', () => {
    const [group] = groupFiles([preview('2010_fall.csv', [...BASE, 'Disciplines'])], [saved]);
    expect(group!.draft.saved?.name).toBe('UVA');
    expect(finalMapping(group!.draft)).toEqual(saved.mapping);
  });

  it('says what is missing, per field, before anything is sent', () => {
    const previews = [preview('2009_fall.csv', BASE), preview('sin-periodo.csv', BASE, null)];
    const [group] = groupFiles(previews, []);
    group!.draft.periodFromName = true;
    const problems = mappingProblems(group!, previews, say, list);
    expect(problems.SEDE).toEqual({ key: 'import.missing.SEDE' });
    expect(problems.PERIODO).toEqual({ key: 'import.missing.noName', values: { count: 1, files: 'sin-periodo.csv' } });
    expect(problems.ALUMNOS).toBeUndefined();
    group!.draft.mapping = { ...group!.draft.mapping, SEDE: { value: ' ' }, CURSO_ACTUAL: ['Mnemonic', 'Nope'], ALUMNOS: undefined };
    group!.draft.filterOn = true;
    const again = mappingProblems(group!, previews, say, list);
    expect(again.SEDE).toEqual({ key: 'import.missing.constant', values: { field: 'SEDE' } });
    expect(again.CURSO_ACTUAL).toEqual({ key: 'import.missing.column', values: { column: 'Nope' } });
    expect(again.ALUMNOS).toEqual({ key: 'import.missing.count' });
    expect(again.filter).toEqual({ key: 'import.missing.filter' });
  });
});
