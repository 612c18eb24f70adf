import { Card, ErrorNote, Loading, SimpleTable } from '../components/common';
import { useEngineValue, useOperation } from '../components/operation';
import { useI18n } from '../i18n';

const span = (p: string[]) => (p.length === 0 ? '—' : p.length > 2 ? `${p[0]} … ${p.at(-1)} (${p.length})` : p.join(', '));

export function History() {
  const { t, int, pct, date, modelName } = useI18n();
  const { value: report, error, refresh } = useEngineValue('history');
  const op = useOperation();
  if (!report) return <Loading error={error} />;

  const reopen = async (id: string) => {
    if (await op.run('reopenSnapshot', { id })) await refresh();
  };
  return (
    <div>
      <h1>{t('history.title')}</h1>
      <ErrorNote error={op.error} />
      <Card title={t('history.imports')}>
        <SimpleTable
          head={[t('history.file'), t('history.when'), t('history.rows'), t('history.periods'), t('history.inUse'), '']}
          numeric={[2]}
          rows={report.snapshots.map((s) => [
            s.file,
            date(s.imported_at),
            int(s.rows_accepted),
            span(s.periods),
            span(s.periods_in_use),
            s.periods_in_use.length < s.periods.length ? (
              <button type="button" className="secondary" disabled={op.busy} onClick={() => void reopen(s.id)}>
                {t('history.reopen')}
              </button>
            ) : (
              ''
            ),
          ])}
        />
      </Card>
      <Card title={t('history.runs')}>
        <SimpleTable
          head={[t('history.when'), t('history.winner'), t('train.table.wape'), t('train.seed'), '']}
          numeric={[2, 3]}
          rows={report.runs.map((r) => [date(r.started_at), modelName(r.winner), pct(r.wape), r.seed, r.serving ? t('train.serving') : ''])}
        />
      </Card>
      <Card title={t('history.forecasts')}>
        <SimpleTable
          head={[t('history.when'), t('history.period'), t('history.winner'), t('history.classes'), t('history.students')]}
          numeric={[3, 4]}
          rows={report.forecasts.map((f) => [date(f.created_at), f.period, f.model_version, int(f.rows), int(f.students)])}
        />
      </Card>
    </div>
  );
}
