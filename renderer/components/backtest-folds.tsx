import type { BacktestFold } from '../../shared/reports';
import { useI18n } from '../i18n';
import { ScrollX, SimpleTable } from './common';

/**
 * What a model's backtest promised, period by period: the error per class and per course at each site, the bias
 * and the share of classes inside their 80 % range — so a planner sees whether the forecast leans one way before
 * trusting it. "—" where the run is older than those figures.
 */
export function BacktestFolds({ folds, title }: { folds: readonly Omit<BacktestFold, 'mae' | 'actual_total'>[]; title: string }) {
  const { t, pct, signedPct, period } = useI18n();
  const maybe = (x: number | null) => (x === null ? '—' : pct(x));
  return (
    <>
      <ScrollX label={title}>
        <SimpleTable
          caption={title}
          head={[t('folds.period'), t('folds.wape'), t('folds.course'), t('folds.bias'), t('folds.coverage')]}
          numeric={[1, 2, 3, 4]}
          rows={folds.map((f) => [period(f.period), pct(f.wape), maybe(f.course_wape), signedPct(f.bias), maybe(f.coverage)])}
        />
      </ScrollX>
      <p className="hint">{t('folds.help')}</p>
    </>
  );
}
