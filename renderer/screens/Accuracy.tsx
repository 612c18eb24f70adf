import type { TooltipItem } from 'chart.js';
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import type { AccuracyHistoryReport } from '../../shared/reports';
import { Card, ChartCard, Loading, Technical } from '../components/common';
import { CHART_COLOURS as COLOURS, useChartsForPrint } from '../components/charts';
import { useEngineValue } from '../components/operation';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';

ChartJS.register(BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend);

/**
 * How the forecasts that met their actuals really did, next to what testing promised: overall and per site, period
 * by period, with the engine's one sentence on it and the trend in words.
 */
function RealAccuracy({ real }: { real: AccuracyHistoryReport }) {
  const { t, say, pct, int, modelName, period, region } = useI18n();
  if (real.periods.length === 0) {
    return (
      <Card title={t('accuracy.real')}>
        <p>{t('accuracy.real.none')}</p>
      </Card>
    );
  }
  const base = { animation: false as const, maintainAspectRatio: false, locale: region };
  const percentAxis = { beginAtZero: true, ticks: { callback: (v: string | number) => pct(Number(v), 0) } };
  const tooltip = { callbacks: { label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${item.raw === null ? '—' : pct(Number(item.raw))}` } };
  const labels = real.periods.map((p) => period(p.period));
  // One point reads as a dot on a line chart: drawn a little larger, so a single period is seen.
  const point = { pointRadius: 5, pointHoverRadius: 7 };
  const sites = [...new Set(real.periods.flatMap((p) => p.sites.map((s) => s.site)))].sort();
  const siteOf = (p: AccuracyHistoryReport['periods'][number], site: string) => p.sites.find((s) => s.site === site);
  return (
    <>
      <section className="card">
        <h2>{t('accuracy.real')}</h2>
        <p className="explanation">{say(real.message)}</p>
        {real.trend && <p>{t(`accuracy.trend.${real.trend}` as MessageKey)}</p>}
      </section>
      <ChartCard
        title={t('accuracy.real.overall')}
        caption={t('accuracy.real.overall.caption')}
        chart={
          <Line
            aria-label={t('accuracy.real.overall.caption')}
            options={{ ...base, scales: { y: percentAxis }, plugins: { tooltip } }}
            data={{
              labels,
              datasets: [
                { label: t('accuracy.real.error'), borderColor: COLOURS[1], backgroundColor: COLOURS[1], data: real.periods.map((p) => p.wape), ...point },
                { label: t('accuracy.real.promised'), borderColor: COLOURS[0], backgroundColor: COLOURS[0], borderDash: [6, 4], data: real.periods.map((p) => p.expected_wape), ...point },
              ],
            }}
          />
        }
        head={[t('accuracy.period'), t('accuracy.real.model'), t('accuracy.real.error'), t('accuracy.real.promised'), t('accuracy.actual')]}
        numeric={[2, 3, 4]}
        rows={real.periods.map((p) => [period(p.period), modelName(p.candidate), pct(p.wape), pct(p.expected_wape), int(p.actual_total)])}
      />
      <ChartCard
        title={t('accuracy.real.bySite')}
        caption={t('accuracy.real.bySite.caption')}
        chart={
          <Line
            aria-label={t('accuracy.real.bySite.caption')}
            options={{ ...base, scales: { y: percentAxis }, plugins: { tooltip } }}
            data={{
              labels,
              datasets: sites.map((site, i) => ({
                label: site,
                borderColor: COLOURS[i % COLOURS.length],
                backgroundColor: COLOURS[i % COLOURS.length],
                data: real.periods.map((p) => siteOf(p, site)?.wape ?? null),
                ...point,
              })),
            }}
          />
        }
        head={[t('accuracy.period'), t('accuracy.site'), t('accuracy.real.error'), t('accuracy.real.promised'), t('accuracy.actual')]}
        numeric={[2, 3, 4]}
        rows={real.periods.flatMap((p) =>
          p.sites.map((s) => [period(p.period), s.site, pct(s.wape), s.expected_wape === null ? '—' : pct(s.expected_wape), int(s.actual)]),
        )}
      />
    </>
  );
}

export function Accuracy() {
  const { t, pct, int, modelName, period, region } = useI18n();
  const { value: report, error } = useEngineValue('accuracy');
  useChartsForPrint();
  if (!report) return <Loading error={error} />;
  if (!report.run_id) return <p>{t('accuracy.none')}</p>;


  const periods = [...new Set(report.backtest.map((b) => b.period))];
  const candidates = [...new Set(report.backtest.map((b) => b.candidate))];
  const nameOf = (c: string) => (c === report.candidate ? t('accuracy.serving', { name: modelName(c) }) : modelName(c));
  const wape = (p: string, c: string) => report.backtest.find((b) => b.period === p && b.candidate === c)?.wape;
  // Shares start at 0 %, counts at 0 students; ticks and tooltips are written the region's way.
  const percentAxis = { beginAtZero: true, ticks: { callback: (v: string | number) => pct(Number(v), 0) } };
  const percentTip = { callbacks: { label: (item: TooltipItem<'bar'>) => `${item.dataset.label ?? ''}: ${pct(Number(item.raw))}` } };
  const base = { animation: false as const, maintainAspectRatio: false, locale: region };

  return (
    <div>
      <RealAccuracy real={report.real} />
      <ChartCard
        title={t('accuracy.backtest')}
        caption={t('accuracy.backtest.caption')}
        chart={
          <Bar
            aria-label={t('accuracy.backtest.caption')}
            options={{ ...base, scales: { y: percentAxis }, plugins: { tooltip: percentTip } }}
            data={{
              labels: periods.map(period),
              datasets: candidates.map((c, i) => ({ label: nameOf(c), backgroundColor: COLOURS[i % COLOURS.length], data: periods.map((p) => wape(p, c) ?? 0) })),
            }}
          />
        }
        head={[t('accuracy.period'), ...candidates.map(nameOf)]}
        numeric={candidates.map((_, i) => i + 1)}
        rows={periods.map((p) => [period(p), ...candidates.map((c) => {
          const w = wape(p, c);
          return w === undefined ? '—' : pct(w);
        })])}
      />
      {report.forecastVsActual.length === 0 ? (
        <Card title={t('accuracy.vsActual')}>
          <p className="caption">{t('accuracy.vsActual.caption')}</p>
          <p>{t('accuracy.vsActual.none')}</p>
        </Card>
      ) : (
        <ChartCard
          title={t('accuracy.vsActual')}
          caption={t('accuracy.vsActual.caption')}
          chart={
            <Line
              aria-label={t('accuracy.vsActual.caption')}
              options={{
                ...base,
                scales: { y: { beginAtZero: true, ticks: { callback: (v: string | number) => int(Number(v)) } } },
                plugins: { tooltip: { callbacks: { label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${int(Number(item.raw))}` } } },
              }}
              data={{
                labels: report.forecastVsActual.map((f) => period(f.period)),
                datasets: [
                  { label: t('accuracy.predicted'), borderColor: COLOURS[0], backgroundColor: COLOURS[0], data: report.forecastVsActual.map((f) => f.predicted) },
                  { label: t('accuracy.actual'), borderColor: COLOURS[1], backgroundColor: COLOURS[1], borderDash: [6, 4], data: report.forecastVsActual.map((f) => f.actual) },
                ],
              }}
            />
          }
          head={[t('accuracy.period'), t('accuracy.predicted'), t('accuracy.actual'), t('accuracy.error')]}
          numeric={[1, 2, 3]}
          rows={report.forecastVsActual.map((f) => [period(f.period), int(f.predicted), int(f.actual), pct(f.wape)])}
        />
      )}
      <ChartCard
        title={t('accuracy.bySite')}
        caption={t('accuracy.bySite.caption')}
        chart={
          <Bar
            aria-label={t('accuracy.bySite.caption')}
            options={{ ...base, indexAxis: 'y' as const, scales: { x: percentAxis }, plugins: { tooltip: percentTip, legend: { display: false } } }}
            data={{ labels: report.bySite.map((s) => s.site), datasets: [{ label: t('accuracy.error'), backgroundColor: COLOURS[0], data: report.bySite.map((s) => s.wape) }] }}
          />
        }
        head={[t('accuracy.site'), t('accuracy.error'), t('history.students')]}
        numeric={[1, 2]}
        rows={report.bySite.map((s) => [s.site, pct(s.wape), int(s.actual)])}
      />
      <Technical>
        <p>{t('accuracy.technical', { run: report.run_id })}</p>
      </Technical>
    </div>
  );
}
