import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry } from '../../shared/reports';
import { api } from '../api';
import { auditLine } from '../components/audit';
import { Card, ErrorNote, Loading, ScrollX, SimpleTable, Technical } from '../components/common';
import { labelsById } from '../components/models';
import { useEngineValue, useOperation } from '../components/operation';
import { useI18n } from '../i18n';

/** How many of the newest audit entries the screen shows. */
const AUDIT_SHOWN = 200;

/** Who did what and when, and why: the audit log in words, newest first (ids in the technical details). */
function AuditLog({ snapshots, refreshed }: { snapshots: { id: string; file: string }[]; refreshed: unknown }) {
  const i18n = useI18n();
  const { t, date } = i18n;
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const models = useEngineValue('models');
  useEffect(() => {
    void api.call('audit', { limit: AUDIT_SHOWN }).then((r) => r.ok && setEntries(r.value));
  }, [refreshed]);
  const names = useMemo(
    () => ({ models: labelsById(models.value ?? [], i18n), files: new Map(snapshots.map((s) => [s.id, s.file])) }),
    [models.value, snapshots, i18n],
  );
  if (!entries || (!models.value && !models.error)) return <Loading error={models.error} />;
  if (entries.length === 0) return <p>{t('audit.none')}</p>;
  const lines = entries.map((e) => ({ entry: e, ...auditLine(e, names, i18n) }));
  return (
    <>
      <ScrollX label={t('audit.title')}>
        <SimpleTable
          head={[t('history.when'), t('audit.who'), t('audit.what'), t('audit.change'), t('audit.reason')]}
          rows={lines.map((l) => [date(l.entry.at), l.who, <span className="wrap">{l.what}</span>, <span className="wrap">{l.change || '—'}</span>, <span className="wrap">{l.reason}</span>])}
        />
      </ScrollX>
      <Technical>
        <ul>
          {entries.map((e) => (
            <li key={e.id}>{t('audit.technical', { id: e.id, what: e.what, from: e.from ?? '—', to: e.to ?? '—' })}</li>
          ))}
        </ul>
      </Technical>
    </>
  );
}

export function History() {
  const { t, int, pct, date, modelName, period, periods } = useI18n();
  const { value: report, error, refresh } = useEngineValue('history');
  // Which model serves, to name the forecasts' models: read with the history, shown with it (never flipping after).
  const status = useEngineValue('status');
  const serving = status.value?.serving ?? null;
  const op = useOperation();
  if (!report || (!status.value && !status.error)) return <Loading error={error} />;

  const reopen = async (id: string) => {
    if (await op.run('reopenSnapshot', { id })) await refresh();
  };
  return (
    <div>
      <ErrorNote error={op.error} />
      <Card title={t('history.imports')}>
        <SimpleTable
          head={[t('history.file'), t('history.when'), t('history.rows'), t('history.periods'), t('history.inUse'), t('history.action')]}
          numeric={[2]}
          rows={report.snapshots.map((s) => [
            s.file,
            date(s.imported_at),
            int(s.rows_accepted),
            <span className="wrap">{periods(s.periods)}</span>,
            <span className="wrap">{periods(s.periods_in_use)}</span>,
            s.periods_in_use.length < s.periods.length ? (
              <button type="button" className="secondary" disabled={op.busy} aria-label={t('history.reopenFile', { file: s.file })} onClick={() => void reopen(s.id)}>
                {t('history.reopen')}
              </button>
            ) : (
              ''
            ),
          ])}
        />
        <Technical>
          <ul>
            {report.snapshots.map((s) => (
              <li key={s.id}>{t('history.snapshot.technical', { file: s.file, id: s.id })}</li>
            ))}
          </ul>
        </Technical>
      </Card>
      <Card title={t('history.runs')}>
        <SimpleTable
          head={[t('history.when'), t('history.winner'), t('train.table.wape'), t('history.state')]}
          numeric={[2]}
          rows={report.runs.map((r) => [date(r.started_at), modelName(r.winner), pct(r.wape), r.serving ? t('train.serving') : ''])}
        />
        <Technical>
          <ul>
            {report.runs.map((r) => (
              <li key={r.id}>{t('history.run.technical', { date: date(r.started_at), run: r.id, seed: String(r.seed), data: r.platinum_version })}</li>
            ))}
          </ul>
        </Technical>
      </Card>
      <Card title={t('history.forecasts')}>
        <SimpleTable
          head={[t('history.when'), t('history.period'), t('history.winner'), t('history.classes'), t('history.students')]}
          numeric={[3, 4]}
          rows={report.forecasts.map((f) => [
            date(f.created_at),
            period(f.period),
            f.model_version === serving?.model_version ? `${t('history.model.serving')} (${modelName(serving.candidate)})` : t('history.model.earlier'),
            int(f.rows),
            int(f.students),
          ])}
        />
        <Technical>
          <ul>
            {report.forecasts.map((f) => (
              <li key={f.id}>{t('history.forecast.technical', { date: date(f.created_at), forecast: f.id, model: f.model_version })}</li>
            ))}
          </ul>
        </Technical>
      </Card>
      <Card title={t('audit.title')}>
        <p className="caption">{t('audit.caption')}</p>
        <AuditLog snapshots={report.snapshots} refreshed={report} />
      </Card>
    </div>
  );
}
