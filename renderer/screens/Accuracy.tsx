import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import { Card, Loading } from '../components/common';
import { useEngineValue } from '../components/operation';
import { useI18n } from '../i18n';

ChartJS.register(BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend);

const COLOURS = ['#1f4e79', '#f2b134', '#5b8c5a', '#b5504a', '#7a5c99', '#3d8fb5'];

export function Accuracy() {
  const { t, pct, modelName } = useI18n();
  const { value: report, error } = useEngineValue('accuracy');
  if (!report) return <Loading error={error} />;
  if (!report.run_id) {
    return (
      <div>
        <h1>{t('accuracy.title')}</h1>
        <p>{t('accuracy.none')}</p>
      </div>
    );
  }
  const periods = [...new Set(report.backtest.map((b) => b.period))];
  const candidates = [...new Set(report.backtest.map((b) => b.candidate))];
  const percent = { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { callback: (v: string | number) => pct(Number(v)) } } }, animation: false as const };
  return (
    <div>
      <h1>{t('accuracy.title')}</h1>
      <Card title={t('accuracy.backtest')}>
        <p className="caption">{t('accuracy.backtest.caption')}</p>
        <div className="chart">
          <Bar
            aria-label={t('accuracy.backtest')}
            options={percent}
            data={{
              labels: periods,
              datasets: candidates.map((c, i) => ({
                label: c === report.candidate ? `${modelName(c)} ★` : modelName(c),
                backgroundColor: COLOURS[i % COLOURS.length],
                data: periods.map((p) => report.backtest.find((b) => b.period === p && b.candidate === c)?.wape ?? 0),
              })),
            }}
          />
        </div>
      </Card>
      <Card title={t('accuracy.vsActual')}>
        <p className="caption">{t('accuracy.vsActual.caption')}</p>
        {report.forecastVsActual.length === 0 ? (
          <p>{t('accuracy.vsActual.none')}</p>
        ) : (
          <div className="chart">
            <Line
              aria-label={t('accuracy.vsActual')}
              options={{ animation: false, maintainAspectRatio: false }}
              data={{
                labels: report.forecastVsActual.map((f) => f.period),
                datasets: [
                  { label: t('accuracy.predicted'), borderColor: COLOURS[0], backgroundColor: COLOURS[0], data: report.forecastVsActual.map((f) => f.predicted) },
                  { label: t('accuracy.actual'), borderColor: COLOURS[1], backgroundColor: COLOURS[1], data: report.forecastVsActual.map((f) => f.actual) },
                ],
              }}
            />
          </div>
        )}
      </Card>
      <Card title={t('accuracy.bySite')}>
        <p className="caption">{t('accuracy.bySite.caption')}</p>
        <div className="chart">
          <Bar
            aria-label={t('accuracy.bySite')}
            options={{ ...percent, indexAxis: 'y' as const, scales: { x: percent.scales.y } }}
            data={{ labels: report.bySite.map((s) => s.site), datasets: [{ label: 'WAPE', backgroundColor: COLOURS[0], data: report.bySite.map((s) => s.wape) }] }}
          />
        </div>
      </Card>
    </div>
  );
}
