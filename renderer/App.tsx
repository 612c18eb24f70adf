import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Settings as SettingsValues } from '../shared/contract';
import type { Region } from '../shared/format';
import type { Locale } from '../shared/messages';
import type { PeriodFrequency } from '../shared/reports';
import { api } from './api';
import { I18nContext, makeI18n } from './i18n';
import type { MessageKey } from './messages';
import type { Screen } from './navigation';
import { SCREENS } from './navigation';
import { NoticeBanner } from './components/notices';
import { notices } from './notices';
import { Accuracy } from './screens/Accuracy';
import { Drift } from './screens/Drift';
import { Forecast } from './screens/Forecast';
import type { OpenedForecast } from './screens/Forecast';
import { History } from './screens/History';
import { Home } from './screens/Home';
import { ImportWizard } from './screens/ImportWizard';
import { Models } from './screens/Models';
import { Settings } from './screens/Settings';
import { Training } from './screens/Training';

/** Each screen's heading: the page's one h1, where focus lands after moving to it. */
const TITLES: Record<Screen, MessageKey> = {
  home: 'home.title',
  import: 'import.title',
  train: 'train.title',
  forecast: 'forecast.title',
  models: 'models.title',
  accuracy: 'accuracy.title',
  drift: 'drift.title',
  history: 'history.title',
  settings: 'settings.title',
};

export function App() {
  const [locale, setLocale] = useState<Locale>('es');
  const [region, setRegion] = useState<Region | null>(null);
  const [frequency, setFrequency] = useState<PeriodFrequency | undefined>(undefined);
  const [screen, setScreen] = useState<Screen>('home');
  /** An earlier forecast opened from History, shown on the forecast screen until the latest is asked for. */
  const [opened, setOpened] = useState<OpenedForecast | null>(null);
  const i18n = useMemo(() => makeI18n(locale, region, frequency), [locale, region, frequency]);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    void api.call('getSettings', {}).then((r) => {
      if (!r.ok) return;
      setLocale(r.value.locale);
      setRegion(r.value.region ?? null);
      notices.enable(r.value.notifications);
    });
  }, []);
  // How the data writes its periods (a monthly "2024-1" is January), read again whenever the screen changes.
  useEffect(() => {
    void api.call('status', {}).then((r) => r.ok && setFrequency(r.value.data?.frequency));
  }, [screen]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  // After moving to another screen, focus goes to its heading (not on the first load).
  useEffect(() => {
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [screen]);

  const switchLocale = useCallback(async (next: Locale) => {
    setLocale(next);
    const current = await api.call('getSettings', {});
    if (current.ok) await api.call('saveSettings', { ...current.value, locale: next });
  }, []);
  const saved = useCallback((values: SettingsValues) => {
    setLocale(values.locale);
    setRegion(values.region ?? null);
    notices.enable(values.notifications);
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip" href="#main">
        {i18n.t('app.skip')}
      </a>
      <div className="layout">
        <header className="top">
          <div className="brand">
            <img src="./icon.svg" alt="" width={28} height={28} />
            <span className="name">Cupo</span>
            <span className="tagline">{i18n.t('app.tagline')}</span>
          </div>
          <div className="lang" role="group" aria-label={i18n.t('settings.language')}>
            {(['es', 'en'] as const).map((l) => (
              <button key={l} type="button" lang={l} className={l === locale ? 'chip active' : 'chip'} aria-pressed={l === locale} onClick={() => void switchLocale(l)}>
                {l === 'es' ? 'Español' : 'English'}
              </button>
            ))}
          </div>
        </header>
        <nav className="side" aria-label={i18n.t('app.sections')}>
          {SCREENS.map((s) => (
            <button
              key={s}
              type="button"
              className={s === screen ? 'nav active' : 'nav'}
              aria-current={s === screen ? 'page' : undefined}
              onClick={() => {
                if (s === 'forecast') setOpened(null);
                setScreen(s);
              }}
            >
              {i18n.t(`nav.${s}` as MessageKey)}
            </button>
          ))}
        </nav>
        <main className="content" id="main" tabIndex={-1}>
          <NoticeBanner go={setScreen} />
          <h1 ref={heading} tabIndex={-1}>
            {i18n.t(TITLES[screen])}
          </h1>
          {screen === 'home' && <Home go={setScreen} />}
          {screen === 'import' && <ImportWizard go={setScreen} />}
          {screen === 'train' && <Training />}
          {screen === 'forecast' && <Forecast go={setScreen} opened={opened} onLatest={() => setOpened(null)} />}
          {screen === 'models' && <Models />}
          {screen === 'accuracy' && <Accuracy />}
          {screen === 'drift' && <Drift />}
          {screen === 'history' && (
            <History
              openForecast={(forecast) => {
                setOpened(forecast);
                setScreen('forecast');
              }}
            />
          )}
          {screen === 'settings' && <Settings onSaved={saved} />}
        </main>
      </div>
    </I18nContext.Provider>
  );
}
