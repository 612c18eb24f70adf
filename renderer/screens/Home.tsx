import type { Screen } from '../navigation';
import { Card, ErrorNote, Loading, Progress } from '../components/common';
import { useEngineValue, useOperation } from '../components/operation';
import { useI18n } from '../i18n';

export function Home({ go }: { go: (s: Screen) => void }) {
  const { t, pct, modelName, period, day } = useI18n();
  const { value: status, error, refresh } = useEngineValue('status');
  const demo = useOperation();

  const loadDemo = async () => {
    if (await demo.run('loadDemo', {})) await refresh();
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
      </div>
    );
  }

  const d = status.data;
  const attention: { text: string; to: Screen }[] = [];
  if (!status.serving) attention.push({ text: t('home.attention.train'), to: 'train' });
  else if (status.serving.stale) attention.push({ text: t('home.attention.stale'), to: 'train' });
  if (status.serving && status.last_forecast?.period !== d.next_period) attention.push({ text: t('home.attention.forecast', { period: period(d.next_period) }), to: 'forecast' });

  return (
    <div>
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
      <section className="card attention">
        <h2>{t('home.attention')}</h2>
        {attention.length === 0 ? (
          <p>{t('home.attention.ok')}</p>
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
      </section>
    </div>
  );
}
