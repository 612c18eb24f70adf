import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry, InboxStep, SnapshotInfo } from '../../shared/reports';
import { api } from '../api';
import { auditLine } from '../components/audit';
import { Card, ErrorNote, Loading, ScrollX, SimpleTable, Technical } from '../components/common';
import { ReasonDialog } from '../components/dialog';
import type { MessageKey } from '../messages';
import type { OpenedForecast } from './Forecast';
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

/** What the scheduled runs did (the inbox folder of Settings, `cupo run`), newest first, each step in its sentence. */
function InboxRuns({ refreshed }: { refreshed: unknown }) {
  const { t, date, say } = useI18n();
  const [runs, setRuns] = useState<AuditEntry[] | null>(null);
  useEffect(() => {
    void api.call('audit', { what: ['inbox_run'], limit: 20 }).then((r) => r.ok && setRuns(r.value));
  }, [refreshed]);
  if (!runs) return <Loading error={null} />;
  if (runs.length === 0) return <p>{t('history.inbox.none')}</p>;
  return (
    <ScrollX label={t('history.inbox')}>
      <SimpleTable
        head={[t('history.when'), t('history.inbox.result'), t('history.inbox.steps')]}
        rows={runs.map((run) => {
          const d = (run.details ?? {}) as { imported?: number; refused?: number; nothing_new?: boolean; steps?: InboxStep[] };
          return [
            date(run.at),
            <span className="wrap">{d.nothing_new ? t('home.lastRun.nothing') : t('home.lastRun.summary', { imported: d.imported ?? 0, refused: d.refused ?? 0 })}</span>,
            <ul className="run-steps wrap">
              {(d.steps ?? []).map((s, i) => (
                <li key={i}>
                  {t(`run.status.${s.status}` as MessageKey)}: {say(s.message)}
                </li>
              ))}
            </ul>,
          ];
        })}
      />
    </ScrollX>
  );
}

export function History({ openForecast }: { openForecast?: (forecast: OpenedForecast) => void }) {
  const { t, int, pct, date, modelName, period, periods } = useI18n();
  const [settingAside, setSettingAside] = useState<SnapshotInfo | null>(null);
  const { value: report, error, refresh } = useEngineValue('history');
  // Which model serves, to name the forecasts' models: read with the history, shown with it (never flipping after).
  const status = useEngineValue('status');
  const serving = status.value?.serving ?? null;
  const op = useOperation();
  if (!report || (!status.value && !status.error)) return <Loading error={error} />;

  const reopen = async (id: string) => {
    if (await op.run('reopenSnapshot', { id })) await refresh();
  };
  const setAside = async (id: string, reason: string) => {
    if (await op.run('setAsideSnapshot', { id, reason })) {
      setSettingAside(null);
      await refresh();
    }
  };
  const restore = async (id: string) => {
    if (await op.run('restoreSnapshot', { id })) await refresh();
  };
  const download = async (forecastId: string) => {
    const file = await op.run('exportForecast', { format: 'xlsx', forecastId });
    if (!file) return;
    const saved = await api.download(file.exportId, file.fileName);
    if (!saved.ok) op.fail(saved.error);
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
            <span className="wrap">{s.set_aside ? t('history.setAside.state') : periods(s.periods_in_use)}</span>,
            <span className="actions tight">
              {s.set_aside ? (
                <button type="button" className="secondary" disabled={op.busy} aria-label={t('history.restoreFile', { file: s.file })} onClick={() => void restore(s.id)}>
                  {t('history.restore')}
                </button>
              ) : (
                <>
                  {s.periods_in_use.length < s.periods.length && (
                    <button type="button" className="secondary" disabled={op.busy} aria-label={t('history.reopenFile', { file: s.file })} onClick={() => void reopen(s.id)}>
                      {t('history.reopen')}
                    </button>
                  )}
                  <button type="button" className="secondary" disabled={op.busy} aria-label={t('history.setAsideFile', { file: s.file })} onClick={() => setSettingAside(s)}>
                    {t('history.setAside')}
                  </button>
                </>
              )}
            </span>,
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
          head={[t('history.when'), t('history.period'), t('history.winner'), t('history.classes'), t('history.students'), t('history.action')]}
          numeric={[3, 4]}
          rows={report.forecasts.map((f) => [
            date(f.created_at),
            period(f.period),
            f.model_version === serving?.model_version ? `${t('history.model.serving')} (${modelName(serving.candidate)})` : t('history.model.earlier'),
            int(f.rows),
            int(f.students),
            <span className="actions tight">
              {openForecast && (
                <button type="button" className="secondary" aria-label={t('history.forecast.openFile', { period: period(f.period), date: date(f.created_at) })} onClick={() => openForecast({ id: f.id, created_at: f.created_at })}>
                  {t('history.forecast.open')}
                </button>
              )}
              <button type="button" className="secondary" disabled={op.busy} aria-label={t('history.forecast.downloadFile', { period: period(f.period), date: date(f.created_at) })} onClick={() => void download(f.id)}>
                {t('history.forecast.download')}
              </button>
            </span>,
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
      <Card title={t('history.inbox')}>
        <InboxRuns refreshed={report} />
      </Card>
      <Card title={t('audit.title')}>
        <p className="caption">{t('audit.caption')}</p>
        <AuditLog snapshots={report.snapshots} refreshed={report} />
      </Card>
      {settingAside && (
        <ReasonDialog
          title={t('history.setAside.title', { file: settingAside.file })}
          confirm={t('history.setAside')}
          busy={op.busy}
          onConfirm={(reason) => void setAside(settingAside.id, reason)}
          onCancel={() => setSettingAside(null)}
        >
          <p>{t('history.setAside.effect', { periods: periods(settingAside.periods_in_use) })}</p>
          <ErrorNote error={op.error} />
        </ReasonDialog>
      )}
    </div>
  );
}
