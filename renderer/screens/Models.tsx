import { useState } from 'react';
import type { ModelVersionInfo } from '../../shared/reports';
import { Card, ErrorNote, Loading, ScrollX, SimpleTable, Technical } from '../components/common';
import { BacktestFolds } from '../components/backtest-folds';
import { ReasonDialog } from '../components/dialog';
import { previousChampion, tenures, versionLabel } from '../components/models';
import { useEngineValue, useOperation } from '../components/operation';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';

/** A change of the model in use the user is about to make: from which model to which, by promotion or rollback. */
interface Pending {
  kind: 'promote' | 'rollback';
  from: ModelVersionInfo | null;
  to: ModelVersionInfo;
}

/** The real error of each period a model's forecasts met their actuals, in words: "ene. 2025: 47,2 %". */
function realErrors(model: ModelVersionInfo, { t, pct, period }: I18n): string {
  return model.scored.length === 0 ? t('models.real.none') : model.scored.map((s) => t('models.real.one', { period: period(s.period), wape: pct(s.wape) })).join(' · ');
}

/** Who served when, as a row of steps, oldest first; each says how and why it started and who made the change. */
function Timeline({ models }: { models: ModelVersionInfo[] }) {
  const i18n = useI18n();
  const { t, say, date } = i18n;
  const steps = tenures(models);
  if (steps.length === 0) return <p>{t('models.timeline.none')}</p>;
  return (
    <ScrollX label={t('models.timeline')}>
      <ol className="timeline">
        {steps.map((s) => (
          <li key={`${s.model.id}-${s.from}`} className={s.to === null ? 'step current' : 'step'}>
            <span className="step-bar" aria-hidden="true" />
            <strong className="step-model">{versionLabel(s.model, models, i18n)}</strong>
            <span className="step-when">{s.to === null ? t('models.timeline.since', { from: date(s.from) }) : t('models.timeline.span', { from: date(s.from), to: date(s.to) })}</span>
            <span className="step-how">{t(`models.how.${s.how}` as MessageKey, { who: s.by })}</span>
            <span className="step-why">{t('models.timeline.why', { reason: say(s.reason) })}</span>
          </li>
        ))}
      </ol>
    </ScrollX>
  );
}

export function Models() {
  const i18n = useI18n();
  const { t, pct, date } = i18n;
  const { value: models, error, refresh } = useEngineValue('models');
  const op = useOperation();
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!models) return <Loading error={error} />;
  if (models.length === 0) return <p>{t('models.none')}</p>;

  const label = (m: ModelVersionInfo) => versionLabel(m, models, i18n);
  const current = models.find((m) => m.status === 'champion') ?? null;
  const previous = previousChampion(models);
  const since = current ? tenures(models).findLast((s) => s.model.id === current.id && s.to === null) : undefined;

  const confirm = async (reason: string) => {
    if (!pending) return;
    const switched = pending.kind === 'promote' ? await op.run('promote', { modelId: pending.to.id, reason }) : await op.run('rollback', { reason });
    if (!switched) return;
    setDone(pending.from ? t('models.done', { from: label(pending.from), to: label(pending.to) }) : t('models.done.first', { to: label(pending.to) }));
    setPending(null);
    await refresh();
  };

  return (
    <div>
      <Card title={t('models.current')}>
        {current ? (
          <p>
            {t('models.current.body', { model: label(current), since: since ? date(since.from) : date(current.created_at), wape: pct(current.backtest_wape) })}
          </p>
        ) : (
          <p>{t('models.current.none')}</p>
        )}
        {current && current.backtest.length > 0 && <BacktestFolds title={t('folds.title', { model: label(current) })} folds={current.backtest} />}
        <p role="status">{done ?? ''}</p>
        {current && previous && (
          <div className="actions">
            <button type="button" className="secondary" disabled={op.busy} onClick={() => setPending({ kind: 'rollback', from: current, to: previous })}>
              {t('models.rollback', { model: label(previous) })}
            </button>
          </div>
        )}
        {!pending && <ErrorNote error={op.error} />}
      </Card>

      <Card title={t('models.timeline')}>
        <p className="caption">{t('models.timeline.caption')}</p>
        <Timeline models={models} />
      </Card>

      <Card title={t('models.versions')}>
        <ScrollX label={t('models.versions')}>
          <SimpleTable
            head={[t('models.col.model'), t('models.col.status'), t('models.col.test'), t('models.col.real'), t('models.col.action')]}
            numeric={[2]}
            rows={models.map((m) => [
              <strong className="wrap">{label(m)}</strong>,
              <span className={`wrap status ${m.status}`}>{t(`models.status.${m.status}` as MessageKey)}</span>,
              pct(m.backtest_wape),
              <span className="wrap">{realErrors(m, i18n)}</span>,
              m.status === 'champion' ? (
                ''
              ) : (
                <button type="button" className="secondary" disabled={op.busy} aria-label={t('models.use.named', { model: label(m) })} onClick={() => setPending({ kind: 'promote', from: current, to: m })}>
                  {t('models.use')}
                </button>
              ),
            ])}
          />
        </ScrollX>
        <p className="hint">{t('models.errors.help')}</p>
        <Technical>
          <ul>
            {models.map((m) => (
              <li key={m.id}>{t('models.technical', { model: label(m), id: m.id, run: m.run_id, candidate: m.candidate })}</li>
            ))}
          </ul>
        </Technical>
      </Card>

      {pending && (
        <ReasonDialog
          title={t(pending.kind === 'promote' ? 'models.confirm.promote' : 'models.confirm.rollback')}
          confirm={t(pending.kind === 'promote' ? 'models.confirm.promote.button' : 'models.confirm.rollback.button')}
          busy={op.busy}
          onConfirm={(reason) => void confirm(reason)}
          onCancel={() => {
            setPending(null);
            op.clearError();
          }}
        >
          <p className="explanation">
            {pending.from ? t('models.confirm.change', { from: label(pending.from), to: label(pending.to) }) : t('models.confirm.first', { to: label(pending.to) })}
          </p>
          <p>{t('models.confirm.effect')}</p>
          <ErrorNote error={op.error} />
        </ReasonDialog>
      )}
    </div>
  );
}
