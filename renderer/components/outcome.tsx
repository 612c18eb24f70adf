import type { ImportResult } from '../../shared/contract';
import { severityRank } from '../../shared/drift';
import { useI18n } from '../i18n';
import { AlertList, FindingList } from './alerts';

/**
 * What an import meant, beyond its rows: how far off the forecasts of the periods it brought were (one sentence
 * each), what the rollback policy did about it, what changed in the data (medium severity and above) and the
 * alerts it raised. Shown at the end of the import wizard and after loading the sample data.
 */
export function ImportOutcome({ result }: { result: ImportResult }) {
  const { t, say } = useI18n();
  const scored = result.scoring?.scored ?? [];
  const policy = result.scoring?.policy ?? null;
  const findings = (result.drift?.findings ?? []).filter((f) => severityRank(f.severity) <= severityRank('medium')).sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  const low = (result.drift?.findings.length ?? 0) - findings.length;
  return (
    <div className="outcome">
      {scored.length > 0 && (
        <section className="card">
          <h2>{t('outcome.scored')}</h2>
          <ul className="sentences">
            {scored.map((s) => (
              <li key={s.forecast_id}>{say(s.message)}</li>
            ))}
          </ul>
          {policy && policy.action !== 'none' && policy.action !== 'no_evidence' ? (
            <p className={policy.action === 'rolled_back' || policy.action === 'recommend_retrain' ? 'note bad' : 'note good'}>
              <strong>{t('outcome.policy')}</strong> {say(policy.message)}
            </p>
          ) : (
            policy && (
              <p className="muted">
                <strong>{t('outcome.policy')}</strong> {say(policy.message)}
              </p>
            )
          )}
        </section>
      )}
      {result.drift && (
        <section className="card">
          <h2>{t('outcome.drift')}</h2>
          {findings.length === 0 ? (
            <p>{t('outcome.drift.none')}</p>
          ) : (
            <FindingList findings={findings} />
          )}
          {low > 0 && <p className="muted">{t('outcome.drift.low', { count: low })}</p>}
        </section>
      )}
      {result.alerts.length > 0 && (
        <section className="card">
          <h2>{t('outcome.alerts', { count: result.alerts.length })}</h2>
          <AlertList alerts={result.alerts} label={t('outcome.alerts', { count: result.alerts.length })} />
          <p className="muted">{t('outcome.alerts.where')}</p>
        </section>
      )}
    </div>
  );
}
