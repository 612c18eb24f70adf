import { useState } from 'react';
import type { Results } from '../../shared/contract';
import { BacktestFolds } from '../components/backtest-folds';
import { ErrorNote, Progress, SimpleTable, Technical } from '../components/common';
import { useOperation } from '../components/operation';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';

/** The result of a training in a sentence, the user's way: how far off, and against repeating the last period. */
function explanation(report: Results['train'], { t, one, pct, periods }: I18n): string {
  const chosen = report.candidates.find((c) => c.candidate === report.winner)!;
  const values = { periods: periods(report.backtest_periods), mae: one(chosen.mae), wape: pct(chosen.wape, 0) };
  if (chosen.candidate === 'last_value') return t('train.explanation.same', values);
  const gain = report.last_value_wape > 0 ? (report.last_value_wape - chosen.wape) / report.last_value_wape : 0;
  return t('train.explanation.better', { ...values, gain: pct(gain, 0) });
}

export function Training() {
  const i18n = useI18n();
  const { t, say, pct, one, modelName } = i18n;
  const [folds, setFolds] = useState(3);
  const [seed, setSeed] = useState(42);
  const [force, setForce] = useState(false);
  const [report, setReport] = useState<Results['train'] | null>(null);
  const op = useOperation();

  /**
   * What a candidate is to the user after this run: the one now in use, the best of this test when it was not put
   * in use, or the model that stays in use. Only a promoted winner is "in use".
   */
  const role = (candidate: string): string | null => {
    if (!report) return null;
    const { promoted } = report.decision;
    if (candidate === report.winner) return t(promoted ? 'train.role.promoted' : 'train.role.best');
    if (!promoted && report.serving && candidate === report.serving.candidate) return t('train.role.stays');
    return null;
  };

  const run = async () => {
    const result = await op.run('train', { backtestPeriods: folds, seed, ...(force ? { force: true } : {}) });
    if (result) setReport(result);
  };

  return (
    <div>
      <p>{t('train.intro')}</p>
      <details className="advanced">
        <summary>{t('train.advanced')}</summary>
        <label className="inline">
          {t('train.folds')}
          <input type="number" min={1} max={12} value={folds} onChange={(e) => setFolds(Math.max(1, Math.min(12, Number(e.target.value) || 1)))} />
        </label>
        <label className="inline">
          {t('train.seed')}
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
        </label>
        <label className="check">
          <input type="checkbox" checked={force} aria-describedby="force-warning" onChange={(e) => setForce(e.target.checked)} />
          {t('train.force')}
        </label>
        <p id="force-warning" className={force ? 'note bad' : 'hint'}>
          {t(force ? 'train.force.warning' : 'train.force.help')}
        </p>
      </details>
      {op.busy ? (
        <Progress progress={op.progress} onCancel={op.cancel} waiting={t('train.preparing')} />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => void run()}>
            {t('train.run')}
          </button>
        </div>
      )}
      {op.error?.code === 'cancelled' ? <p role="status">{t('train.cancelled')}</p> : <ErrorNote error={op.error} />}
      {report && (
        <div className="result">
          <p className="explanation">{explanation(report, i18n)}</p>
          <p className={report.decision.promoted ? 'note good decision' : 'note decision'}>
            <strong>{t(report.decision.promoted ? 'train.decision.promoted' : 'train.decision.kept')}</strong> {say(report.decision.reason)}
          </p>
          <SimpleTable
            head={[t('train.table.model'), t('train.table.wape'), t('train.table.mae'), t('train.table.gain')]}
            numeric={[1, 2, 3]}
            rows={report.candidates.map((c) => [
              <>
                {c.candidate === report.winner || c.candidate === report.serving?.candidate ? <strong>{modelName(c.candidate)}</strong> : modelName(c.candidate)}
                {role(c.candidate) && <span className="muted"> · {role(c.candidate)}</span>}
              </>,
              pct(c.wape),
              one(c.mae),
              c.candidate === 'last_value' ? '—' : pct((report.last_value_wape - c.wape) / (report.last_value_wape || 1)),
            ])}
          />
          <BacktestFolds
            title={t('folds.title', { model: modelName(report.serving?.candidate ?? report.winner) })}
            folds={report.folds.filter((f) => f.candidate === (report.serving?.candidate ?? report.winner))}
          />
          <Technical>
            <p>
              {t('train.technical', {
                run: report.run_id,
                seed: String(report.seed),
                seconds: one(report.duration_ms / 1000),
                model: report.serving?.model_version ?? '—',
                data: report.features_version,
              })}
            </p>
          </Technical>
        </div>
      )}
    </div>
  );
}
