import { useState } from 'react';
import type { ImportResult } from '../../shared/contract';
import type { Alert } from '../../shared/drift';
import type { StatusReport } from '../../shared/reports';
import type { MessageKey } from '../messages';
import type { Screen } from '../navigation';
import { AlertList } from '../components/alerts';
import { Card, ErrorNote, Loading, Progress } from '../components/common';
import { useEngineValue, useOperation } from '../components/operation';
import { ImportOutcome } from '../components/outcome';
import { ReportButton } from '../components/report';
import { useI18n } from '../i18n';

/**
 * What needs a person now, first: the open alerts, most severe first, each with what to do and the buttons to say
 * it was seen or dealt with; then those already seen. Empty when nothing is waiting.
 */
function Alerts({ alerts, onChange }: { alerts: Alert[]; onChange: () => void }) {
  const { t } = useI18n();
  const open = alerts.filter((a) => a.state === 'open');
  const seen = alerts.filter((a) => a.state === 'acknowledged');
  if (open.length === 0 && seen.length === 0) return null;
  return (
    <section className="card alerts-card" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('home.alerts', { count: open.length })}</h2>
      {open.length > 0 && <AlertList alerts={open} onChange={onChange} label={t('home.alerts.open')} />}
      {seen.length > 0 && (
        <>
          <h3>{t('home.alerts.seen', { count: seen.length })}</h3>
          <AlertList alerts={seen} onChange={onChange} label={t('home.alerts.seen', { count: seen.length })} />
        </>
      )}
    </section>
  );
}

/** The last scheduled run (the inbox folder of Settings, `cupo run`): when, what it brought, and each step's sentence. */
function LastRun({ run }: { run: NonNullable<StatusReport['last_run']> }) {
  const { t, date, say } = useI18n();
  return (
    <section className="card" aria-labelledby="last-run-title">
      <h2 id="last-run-title">{t('home.lastRun')}</h2>
      <p>{t('home.lastRun.when', { date: date(run.at), summary: run.nothing_new ? t('home.lastRun.nothing') : t('home.lastRun.summary', { imported: run.imported, refused: run.refused }) })}</p>
      <ul className="run-steps">
        {run.steps.map((s, i) => (
          <li key={i}>
            <strong>{t(`run.status.${s.status}` as MessageKey)}:</strong> {say(s.message)}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Home({ go }: { go: (s: Screen) => void }) {
  const { t, pct, modelName, period, day } = useI18n();
  const { value: status, error, refresh } = useEngineValue('status');
  const alerts = useEngineValue('alerts');
  const demo = useOperation();
  const [loaded, setLoaded] = useState<ImportResult | null>(null);

  const loadDemo = async () => {
    const result = await demo.run('loadDemo', {});
    if (!result) return;
    setLoaded(result);
    await Promise.all([refresh(), alerts.refresh()]);
  };

  if (!status) return <Loading error={error} />;
  if (!status.data) {
    return (
      <div className="empty">
        <h2>{t('home.empty.title')}</h2>
        <p>{t('home.empty.body')}</p>
        {demo.busy ? (
          <Progress progress={demo.progress} onCancel={demo.cancel} />
        ) : (
          <div className="actions">
            <button type="button" onClick={() => void loadDemo()}>
              {t('home.demo')}
            </button>
            <button type="button" className="secondary" onClick={() => go('import')}>
              {t('home.importOwn')}
            </button>
          </div>
        )}
        <ErrorNote error={demo.error} />
        {status.last_run && <LastRun run={status.last_run} />}
      </div>
    );
  }

  const d = status.data;
  const attention: { text: string; to: Screen }[] = [];
  if (!status.serving) attention.push({ text: t('home.attention.train'), to: 'train' });
  else if (status.serving.stale) attention.push({ text: t('home.attention.stale'), to: 'train' });
  if (status.serving && status.last_forecast?.period !== d.next_period) attention.push({ text: t('home.attention.forecast', { period: period(d.next_period) }), to: 'forecast' });
  const openAlerts = (alerts.value ?? []).filter((a) => a.state === 'open').length;

  return (
    <div>
      {alerts.value ? <Alerts alerts={alerts.value} onChange={() => void alerts.refresh()} /> : <Loading error={alerts.error} />}
      <section className="card attention">
        <h2>{t('home.attention')}</h2>
        {attention.length === 0 && openAlerts === 0 ? (
          alerts.value && <p>{t('home.attention.ok')}</p>
        ) : attention.length === 0 ? (
          <p>{t('home.attention.alertsOnly', { count: openAlerts })}</p>
        ) : (
          <ul>
            {attention.map((a) => (
              <li key={a.text}>
                <button type="button" className="link" onClick={() => go(a.to)}>
                  {a.text}
                </button>
              </li>
            ))}
          </ul>
        )}
        {status.last_forecast?.period === d.next_period && (
          <div className="actions">
            <ReportButton />
          </div>
        )}
      </section>
      {status.last_run && <LastRun run={status.last_run} />}
      {loaded && (
        <section aria-labelledby="loaded-title">
          <h2 id="loaded-title" className="section-title">
            {t('home.loaded')}
          </h2>
          <ImportOutcome result={loaded} />
        </section>
      )}
      <div className="cards">
        <Card title={t('home.data')}>
          <p>
            {t('home.data.body', { periods: d.periods, first: period(d.first_period), last: period(d.last_period), sites: d.sites, courses: d.courses, classes: d.classes_last_period, students: d.students_last_period })}
          </p>
        </Card>
        <Card title={t('home.model')}>
          <p>{status.serving ? t('home.model.body', { candidate: modelName(status.serving.candidate), date: day(status.serving.trained_at), wape: pct(status.serving.wape) }) : t('home.model.none')}</p>
        </Card>
        <Card title={t('home.forecast')}>
          <p>{status.last_forecast ? t('home.forecast.body', { period: period(status.last_forecast.period), classes: status.last_forecast.rows, students: status.last_forecast.students }) : t('home.forecast.none')}</p>
        </Card>
      </div>
    </div>
  );
}
