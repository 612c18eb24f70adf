import { describe, expect, it } from 'vitest';
import { classKey, foldedKeyString, keyString, labelsString, parseClassKey } from './class-key';

describe('the class key', () => {
  const key = classKey('2024-03', { site: 'Norte', course: 'BAS 01', schedule: 'LMV 19:00-21:00' });

  it('is taken apart into what it was made of', () => {
    expect(parseClassKey(keyString(key))).toEqual(key);
  });

  it('tells apart classes that differ in any part, the period included', () => {
    const nextMonth = { ...key, period: '2024-04' };
    const keys = [key, nextMonth, { ...key, site: 'Sur' }, { ...key, course: 'BAS 02' }, { ...key, schedule: 'MJ' }].map(keyString);
    expect(new Set(keys).size).toBe(keys.length);
    expect(labelsString(nextMonth)).toBe(labelsString(key));
  });

  it('keeps only the class from a wider row', () => {
    expect(classKey('2024-03', { site: 'N', course: 'C', schedule: 'S', students: 4 } as never)).toEqual({ period: '2024-03', site: 'N', course: 'C', schedule: 'S' });
  });

  it('folded, is the same however the labels were spelled', () => {
    expect(foldedKeyString({ ...key, schedule: 'lmv 19:00-21:00', site: 'NORTE' })).toBe(foldedKeyString(key));
  });

  it('refuses a string that is not a key', () => {
    expect(() => parseClassKey('2024-03')).toThrow(/not a class key/);
  });
});
