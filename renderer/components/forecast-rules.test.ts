import { describe, expect, it } from 'vitest';
import type { ForecastRow } from '../../shared/reports';
import { makeI18n } from '../i18n';
import { hasCapacity, ruleText } from './forecast-rules';

const row: ForecastRow = {
  PERIODO: '2026-1', SEDE: 'NORTE', CURSO_ACTUAL: 'BAS01', HORARIO_ACTUAL: 'LMV', PREDICT_ALUMNOS: 22, p10: 20, p90: 24,
  last_students: 21, feeder_students: 0, reason: 'running', p_below_min: 0, sections: 1, decision: 'open', capacity: null,
};
const sizes = { minClassSize: 8, maxClassSize: 25, classSizes: [] };
const es = makeI18n('es');
const en = makeI18n('en');

describe('the rule of a class above its room’s capacity', () => {
  it('says so before the rest, with what to do where nothing else is said', () => {
    expect(ruleText({ ...row, capacity: 20 }, sizes, undefined, true, es)).toBe('22 alumnos: más que la capacidad de 20 del aula — buscar un aula más grande o abrir otra sección');
    expect(ruleText({ ...row, capacity: 20 }, sizes, undefined, true, en)).toBe("22 students: more than the room's capacity of 20 — find a larger room or open another section");
  });

  it('goes on with the decision’s own rule', () => {
    const big = { ...row, PREDICT_ALUMNOS: 27, p10: 25, p90: 29, sections: 2, capacity: 25 };
    expect(ruleText(big, sizes, undefined, true, es)).toBe('27 alumnos: más que la capacidad de 25 del aula — y más que el máximo de 25: abrir 2 secciones o ampliar');
  });

  it('says nothing of a capacity the forecast fits in, or of one unknown', () => {
    expect(ruleText({ ...row, capacity: 22 }, sizes, undefined, true, es)).toBe('');
    expect(ruleText(row, sizes, undefined, true, es)).toBe('');
    expect(hasCapacity([row])).toBe(false);
    expect(hasCapacity([row, { ...row, capacity: 0 }])).toBe(true);
  });
});
