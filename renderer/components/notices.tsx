import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n';
import type { Screen } from '../navigation';
import { notices } from '../notices';
import { SeverityBadge, whatToDo } from './alerts';

/** Browser mode's notices of new critical and high alerts, each with what to do, until dismissed. */
export function NoticeBanner({ go }: { go: (screen: Screen) => void }) {
  const { t, say } = useI18n();
  const shown = useSyncExternalStore(notices.subscribe, notices.current);
  if (shown.length === 0) return null;
  return (
    <section className="notices no-print" aria-label={t('notices.label')}>
      {shown.map((a) => (
        <div key={a.id} className={`notice ${a.severity}`} role="alert">
          <div id={`notice-${a.id}`}>
            <SeverityBadge severity={a.severity} /> <strong>{t('notices.new')}</strong> {say(a.message)}{' '}
            <span className="muted">{t('alerts.action', { action: whatToDo(say(a.action), say(a.message)) })}</span>
          </div>
          <div className="notice-buttons">
            <button type="button" className="link" onClick={() => go('home')}>
              {t('notices.open')}
            </button>
            <button type="button" className="secondary" aria-describedby={`notice-${a.id}`} onClick={() => notices.dismiss(a.id)}>
              {t('notices.dismiss')}
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
