import { describe, expect, it } from 'vitest';
import { fieldGetter, guessMapping, resolveMapping } from './columns';

describe('guessing the columns from the header', () => {
  it('maps Spanish headers with accents and any case', () => {
    expect(guessMapping(['Ciclo', 'Local', 'Nivel', 'Turno', 'N° Matriculados'])).toEqual({
      PERIODO: 'Ciclo', SEDE: 'Local', CURSO_ACTUAL: 'Nivel', HORARIO_ACTUAL: 'Turno', ALUMNOS: 'N° Matriculados',
    });
  });

  it('maps English headers and a student id', () => {
    expect(guessMapping(['Term', 'Campus', 'Course', 'Schedule', 'Student ID', 'Email'])).toEqual({
      PERIODO: 'Term', SEDE: 'Campus', CURSO_ACTUAL: 'Course', HORARIO_ACTUAL: 'Schedule', ID_ALUMNO: 'Student ID',
    });
  });

  it('leaves personal columns it does not need unmapped', () => {
    const mapping = guessMapping(['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'DNI', 'Nombre', 'Correo']);
    expect(Object.values(mapping)).not.toContain('Nombre');
    expect(Object.values(mapping)).not.toContain('Correo');
    expect(mapping.ID_ALUMNO).toBe('DNI');
  });

  it('finds a capacity column in Spanish or English, not mistaking it for the count', () => {
    expect(guessMapping(['Ciclo', 'Sede', 'Curso', 'Horario', 'Cupo máximo', 'Inscritos']).CAPACIDAD).toBe('Cupo máximo');
    expect(guessMapping(['Ciclo', 'Sede', 'Curso', 'Horario', 'Alumnos', 'Vacantes']).CAPACIDAD).toBe('Vacantes');
    expect(guessMapping(['Term', 'Campus', 'Course', 'Days1', 'Enrollment', 'EnrollmentLimit'])).toMatchObject({ ALUMNOS: 'Enrollment', CAPACIDAD: 'EnrollmentLimit' });
    expect(guessMapping(['Term', 'Campus', 'Course', 'Schedule', 'Enrolled', 'Max Students'])).toMatchObject({ ALUMNOS: 'Enrolled', CAPACIDAD: 'Max Students' });
  });
});

describe('a mapping file', () => {
  const headers = ['Term', 'Mnemonic', 'Number', 'Days1', 'Enrollment'];

  it('joins columns with a space, takes constants, and lets --period win', () => {
    const { readers, unknownColumns } = resolveMapping(headers, { SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment' }, '2024_fall');
    expect(unknownColumns).toEqual([]);
    const row = ['x', 'CS', '2150', 'TuTh 9:30am', '120'];
    expect(fieldGetter(readers.CURSO_ACTUAL!)(row)).toBe('CS 2150');
    expect(fieldGetter(readers.SEDE!)(row)).toBe('UVA');
    expect(fieldGetter(readers.PERIODO!)(row)).toBe('2024_fall');
  });

  it('reports the columns it names that the file lacks', () => {
    expect(resolveMapping(headers, { CURSO_ACTUAL: ['Mnemonic', 'Nmber'] }, undefined).unknownColumns).toEqual(['Nmber']);
  });
});
