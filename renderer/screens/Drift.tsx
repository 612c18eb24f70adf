import type { TooltipItem } from 'chart.js';
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useState } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import type { CallError } from '../../shared/contract';
import type { Alert, DriftReport, Severity } from '../../shared/drift';
import { SEVERITY_ORDER } from '../../shared/drift';
import { AlertList, FindingList, SeverityBadge } from '../components/alerts';
import { Card, ChartCard, ErrorNote, Loading, Progress, Technical } from '../components/common';
import { CHART_COLOURS, useChartsForPrint } from '../components/charts';
import { useOperation } from '../components/operation';
import { api } from '../api';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';

ChartJS.register(BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend);

const COLUMNS = ['class_size', 'site_mix', 'course_mix', 'schedule_mix', 'progression_rate'];

/** A model input's name for people ("Alumnos por clase"); its own name when this version has none for it. */
function columnName(column: string, t: I18n['t']): string {
  return COLUMNS.includes(column) ? t(`drift.column.${column}` as MessageKey) : column;
}

/** What was compared with what, in one sentence. */
function summary(report: DriftReport, { t, periods }: I18n): string {
  const examined = periods(report.periods_shown.length > 0 ? report.periods_shown : report.periods);
  const reference = report.reference.periods;
  if (report.reference.basis === 'none' || reference.length === 0) return t('drift.summary.none', { periods: examined });
  return t(report.reference.basis === 'champion' ? 'drift.summary.champion' : 'drift.summary.previous', { periods: examined, reference: periods(reference) });
}

/** Findings grouped by severity, the most serious first; the low ones one click away. */
function Findings({ report }: { report: DriftReport }) {
  const { t } = useI18n();
  const by = (s: Severity) => report.findings.filter((f) => f.severity === s);
  const counts = SEVERITY_ORDER.map((s) => [s, by(s).length] as const).filter(([, n]) => n > 0);
  if (report.findings.length === 0) return <p>{t('drift.findings.none')}</p>;
  return (
    <>
      <p>
        {t('drift.findings.count', { count: report.findings.length })}{' '}
        {counts.map(([s, n]) => t('drift.findings.of', { count: n, level: t(`severity.${s}` as MessageKey).toLowerCase() })).join(' · ')}
      </p>
      {SEVERITY_ORDER.filter((s) => s !== 'low' && by(s).length > 0).map((s) => (
        <section key={s} className="severity-group">
          <h3>{t('drift.findings.level', { level: t(`severity.${s}` as MessageKey), count: by(s).length })}</h3>
          <FindingList findings={by(s)} />
        </section>
      ))}
      {by('low').length > 0 && (
        <details className="severity-group">
          <summary>{t('drift.findings.low', { count: by('low').length })}</summary>
          <FindingList findings={by('low')} />
        </details>
      )}
    </>
  );
}

function Charts({ report }: { report: DriftReport }) {
  const { t, say, pct, int, period, region } = useI18n();
  const base = { animation: false as const, maintainAspectRatio: false, locale: region };
  const shareAxis = { beginAtZero: true, ticks: { callback: (v: string | number) => pct(Number(v), 0) } };
  const countAxis = { beginAtZero: true, ticks: { callback: (v: string | number) => int(Number(v)) } };
  const shareTip = { callbacks: { label: (item: TooltipItem<'bar'>) => `${item.dataset.label ?? ''}: ${pct(Number(item.raw))}` } };
  const countTip = { callbacks: { label: (item: TooltipItem<'bar' | 'line'>) => `${item.dataset.label ?? ''}: ${int(Number(item.raw))}` } };
  const examined = report.charts.period ? period(report.charts.period) : t('drift.current');
  const reference = t('drift.reference');
  const { totals, movers, features } = report.charts;
  return (
    <>
      {totals && totals.points.length > 0 && (
        <ChartCard
          title={t('drift.totals')}
          caption={say(totals.caption)}
          chart={
            <Line
              aria-label={say(totals.caption)}
              options={{ ...base, scales: { y: countAxis }, plugins: { legend: { display: false }, tooltip: countTip } }}
              data={{ labels: totals.points.map((p) => period(p.period)), datasets: [{ label: t('drift.students'), borderColor: CHART_COLOURS[0], backgroundColor: CHART_COLOURS[0], data: totals.points.map((p) => p.students) }] }}
            />
          }
          head={[t('accuracy.period'), t('drift.students')]}
          numeric={[1]}
          rows={totals.points.map((p) => [period(p.period), int(p.students)])}
        />
      )}
      {movers.map((m) => (
        <ChartCard
          key={m.dimension}
          title={t(m.dimension === 'site' ? 'drift.movers.site' : 'drift.movers.course')}
          caption={say(m.caption)}
          chart={
            <Bar
              aria-label={say(m.caption)}
              options={{ ...base, indexAxis: 'y' as const, scales: { x: countAxis }, plugins: { tooltip: countTip } }}
              data={{
                labels: m.items.map((i) => i.name),
                datasets: [
                  { label: reference, backgroundColor: CHART_COLOURS[0], data: m.items.map((i) => i.reference) },
                  { label: examined, backgroundColor: CHART_COLOURS[1], data: m.items.map((i) => i.current) },
                ],
              }}
            />
          }
          head={[t(m.dimension === 'site' ? 'accuracy.site' : 'forecast.col.course'), reference, examined, t('drift.change')]}
          numeric={[1, 2, 3]}
          rows={m.items.map((i) => [i.name, int(i.reference), int(i.current), `${i.change > 0 ? '+' : ''}${int(i.change)}`])}
        />
      ))}
      <div className="chart-grid">
        {features.map((f) => (
          <ChartCard
            key={f.column}
            title={`${columnName(f.column, t)} — ${t(f.drifted ? 'drift.changed' : 'drift.unchanged')}`}
            caption={say(f.caption)}
            chart={
              <Bar
                aria-label={say(f.caption)}
                options={{ ...base, scales: { y: shareAxis }, plugins: { tooltip: shareTip } }}
                data={{
                  labels: f.labels,
                  datasets: [
                    { label: reference, backgroundColor: CHART_COLOURS[0], data: f.reference },
                    { label: examined, backgroundColor: CHART_COLOURS[1], data: f.current },
                  ],
                }}
              />
            }
            head={[t('drift.value'), reference, examined]}
            numeric={[1, 2]}
            rows={f.labels.map((label, i) => [label, pct(f.reference[i] ?? 0), pct(f.current[i] ?? 0)])}
          />
        ))}
      </div>
    </>
  );
}

export function Drift() {
  const i18n = useI18n();
  const { t, date } = i18n;
  // `drift` answers null before the first import: `undefined` is "not answered yet".
  const [report, setReport] = useState<DriftReport | null | undefined>(undefined);
  const [error, setError] = useState<CallError | null>(null);
  const op = useOperation();
  const [raised, setRaised] = useState<Alert[] | null>(null);
  useChartsForPrint();
  useEffect(() => {
    void api.call('drift', {}).then((r) => {
      if (r.ok) setReport(r.value);
      else setError(r.error);
    });
  }, []);

  const check = async () => {
    const result = await op.run('checkDrift', {});
    if (!result) return;
    setReport(result.report);
    setRaised(result.alerts);
  };
  if (report === undefined) return <Loading error={error} />;

  return (
    <div>
      <div className="actions no-print">
        {op.busy ? (
          <Progress progress={op.progress} waiting={t('drift.checking')} />
        ) : (
          <button type="button" onClick={() => void check()}>
            {t('drift.check')}
          </button>
        )}
      </div>
      <ErrorNote error={op.error} />
      {raised && (
        <p role="status" className="note good">
          {t('drift.checked', { count: raised.length })}
        </p>
      )}
      {raised && raised.length > 0 && <AlertList alerts={raised} label={t('drift.raised')} />}
      {!report ? (
        <p>{t('drift.none')}</p>
      ) : (
        <>
          <Card title={t('drift.latest')}>
            <p className="explanation">{summary(report, i18n)}</p>
            <p>
              {report.severity ? (
                <>
                  {t('drift.severity')} <SeverityBadge severity={report.severity} />
                </>
              ) : (
                t('drift.severity.none')
              )}{' '}
              <span className="muted">{t(report.trigger === 'import' ? 'drift.when.import' : 'drift.when.check', { date: date(report.created_at) })}</span>
            </p>
            {report.dataset_drift && <p className="note bad">{t('drift.dataset')}</p>}
          </Card>
          <Card title={t('drift.findings')}>
            <Findings report={report} />
          </Card>
          <Charts report={report} />
          <Technical>
            <p>{t('drift.technical', { id: report.id, data: report.platinum_version, model: report.reference.model_version ?? '—' })}</p>
            <ul>
              {report.columns.map((c, i) => (
                <li key={`${c.column}-${c.period}-${i}`}>
                  {c.column} ({c.period}): {c.test} = {c.value.toFixed(4)} / {c.threshold}; PSI {c.psi.toFixed(3)} ({c.psi_band})
                </li>
              ))}
            </ul>
          </Technical>
        </>
      )}
    </div>
  );
}
