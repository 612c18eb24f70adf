import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Locale } from '../shared/messages';
import { api } from './api';
import { I18nContext, makeI18n } from './i18n';
import type { MessageKey } from './messages';
import type { Screen } from './navigation';
import { SCREENS } from './navigation';
import { Accuracy } from './screens/Accuracy';
import { Forecast } from './screens/Forecast';
import { History } from './screens/History';
import { Home } from './screens/Home';
import { ImportWizard } from './screens/ImportWizard';
import { Settings } from './screens/Settings';
import { Training } from './screens/Training';

export function App() {
  const [locale, setLocale] = useState<Locale>('es');
  const [screen, setScreen] = useState<Screen>('home');
  const i18n = useMemo(() => makeI18n(locale), [locale]);

  useEffect(() => {
    void api.call('getSettings', {}).then((r) => r.ok && setLocale(r.value.locale));
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const switchLocale = useCallback(async (next: Locale) => {
    setLocale(next);
    const current = await api.call('getSettings', {});
    if (current.ok) await api.call('saveSettings', { ...current.value, locale: next });
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      <div className="layout">
        <header className="top">
          <div className="brand">
            <img src="./icon.svg" alt="" width={28} height={28} />
            <span className="name">Cupo</span>
            <span className="tagline">{i18n.t('app.tagline')}</span>
          </div>
          <div className="lang" role="group" aria-label={i18n.t('settings.language')}>
            {(['es', 'en'] as const).map((l) => (
              <button key={l} type="button" className={l === locale ? 'chip active' : 'chip'} aria-pressed={l === locale} onClick={() => void switchLocale(l)}>
                {l === 'es' ? 'Español' : 'English'}
              </button>
            ))}
          </div>
        </header>
        <nav className="side" aria-label="Cupo">
          {SCREENS.map((s) => (
            <button key={s} type="button" className={s === screen ? 'nav active' : 'nav'} aria-current={s === screen ? 'page' : undefined} onClick={() => setScreen(s)}>
              {i18n.t(`nav.${s}` as MessageKey)}
            </button>
          ))}
        </nav>
        <main className="content">
          {screen === 'home' && <Home go={setScreen} />}
          {screen === 'import' && <ImportWizard />}
          {screen === 'train' && <Training />}
          {screen === 'forecast' && <Forecast />}
          {screen === 'accuracy' && <Accuracy />}
          {screen === 'history' && <History />}
          {screen === 'settings' && <Settings onLocale={(l) => setLocale(l)} />}
        </main>
      </div>
    </I18nContext.Provider>
  );
}
