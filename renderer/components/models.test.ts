import { describe, expect, it } from 'vitest';
import type { ModelVersionInfo } from '../../shared/reports';
import { makeI18n } from '../i18n';
import { versionLabel } from './models';

const version = (id: string, candidate: string, created_at: string): ModelVersionInfo => ({
  id, candidate, created_at, status: 'challenger', run_id: 'run', backtest_wape: 0.2, backtest: [], served: [], scored: [],
});

describe('model versions as people tell them apart', () => {
  const es = makeI18n('es', 'es-PE');
  const models = [
    version('model-0001', 'boosted', '2026-11-20T15:00:00.000Z'),
    version('model-0002', 'combined', '2026-11-23T16:40:10.000Z'),
    version('model-0003', 'combined', '2026-11-23T16:40:50.000Z'),
    version('model-0004', 'combined', '2026-11-23T18:05:00.000Z'),
  ];

  it('by method and day; the time when the same method was trained twice that day; the number when even the minute is shared', () => {
    const labels = models.map((m) => versionLabel(m, models, es));
    expect(labels[0]).toMatch(/^Avance corregido con árboles de decisión del 20 nov\.? 2026$/);
    expect(new Set(labels).size).toBe(4);
    expect(labels[1]).toMatch(/^Combinación de modelos del 23 nov\.? 2026, .*, n\.º 2$/);
    expect(labels[3]).not.toMatch(/n\.º/);
  });

  it('never doubles the period of a sentence that ends on a time ("p. m.")', () => {
    const sentence = es.t('models.done.first', { to: versionLabel(models[3]!, models, es) });
    expect(sentence).toMatch(/m\.$/);
    expect(sentence).not.toMatch(/\.\.$/);
  });
});
