import type { TooltipItem } from 'chart.js';
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { Card, ChartCard, Loading, Technical } from '../components/common';
import { useEngineValue } from '../components/operation';
import { useI18n } from '../i18n';

ChartJS.register(BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend);

/** Each at least 3:1 against white, so a bar or a line is seen without its legend's help. */
const COLOURS = ['#1f4e79', '#b45f06', '#3f7a3e', '#b5504a', '#7a5c99', '#2a7a9b'];

export function Accuracy() {
  const { t, pct, int, modelName, period, region } = useI18n();
  const { value: report, error } = useEngineValue('accuracy');
  // Charts are drawn for the screen's width; printed, they are drawn again for the page's.
  useEffect(() => {
    const resize = () => Object.values(ChartJS.instances).forEach((chart) => chart.resize());
    const media = window.matchMedia('print');
    window.addEventListener('beforeprint', resize);
    window.addEventListener('afterprint', resize);
    media.addEventListener('change', resize);
    return () => {
      window.removeEventListener('beforeprint', resize);
      window.removeEventListener('afterprint', resize);
      media.removeEventListener('change', resize);
    };
  }, []);
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
