import { describe, expect, it } from 'vitest';
import { readCount } from './counts';

describe('student counts', () => {
  it.each([
    ['12', ',', 12],
    [' 7 ', ',', 7],
    ['12.0', ',', 12],
    ['1,234', ',', 1234],
    ['12,0', ';', 12],
    ['1.234', ';', 1234],
    ['1.234,00', ';', 1234],
    ['0', ';', 0],
  ])('%j in a file separated by %j is %d', (text, delimiter, value) => {
    expect(readCount(text, delimiter)).toEqual({ ok: true, value });
  });

  it.each([
    ['-3', ',', 'negative'],
    ['12.5', ',', 'fraction'],
    ['12,5', ';', 'fraction'],
    ['doce', ',', 'not_a_number'],
    ['1/2', ',', 'not_a_number'],
    ['', ',', 'empty'],
  ])('refuses %j (%s)', (text, delimiter, reason) => {
    expect(readCount(text, delimiter)).toEqual({ ok: false, reason });
  });
});
