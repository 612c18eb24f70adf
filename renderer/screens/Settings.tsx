import { useEffect, useState } from 'react';
import type { Settings as SettingsValues } from '../../shared/contract';
import type { Locale } from '../../shared/messages';
import { api } from '../api';
import { ErrorNote } from '../components/common';
import { useOperation } from '../components/operation';
import { useI18n } from '../i18n';

export function Settings({ onLocale }: { onLocale: (l: Locale) => void }) {
  const { t } = useI18n();
  const [values, setValues] = useState<SettingsValues | null>(null);
  const [database, setDatabase] = useState('');
  const [saved, setSaved] = useState(false);
  const op = useOperation();

  useEffect(() => {
    void api.call('getSettings', {}).then((r) => r.ok && setValues(r.value));
    void api.call('status', {}).then((r) => r.ok && setDatabase(r.value.database));
  }, []);

  if (!values) return <p>{t('common.working')}</p>;
  const save = async () => {
    const result = await op.run('saveSettings', values);
    if (result) {
      setSaved(true);
      onLocale(result.locale);
    }
  };
  const set = (patch: Partial<SettingsValues>) => {
    setSaved(false);
    setValues({ ...values, ...patch });
  };

  return (
    <div>
      <h1>{t('settings.title')}</h1>
      <form
        className="settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t('settings.language')}
          <select value={values.locale} onChange={(e) => set({ locale: e.target.value as Locale })}>
            <option value="es">Español</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          {t('settings.min')}
          <input type="number" min={1} max={500} value={values.minClassSize} onChange={(e) => set({ minClassSize: Math.floor(Number(e.target.value) || 1) })} />
        </label>
        <label>
          {t('settings.max')}
          <input type="number" min={1} max={1000} value={values.maxClassSize} onChange={(e) => set({ maxClassSize: Math.floor(Number(e.target.value) || 1) })} />
        </label>
        <p>
          {t('settings.database')}: <code>{database}</code>
        </p>
        <div className="actions">
          <button type="submit" disabled={op.busy}>
            {t('settings.save')}
          </button>
          {saved && <span role="status">{t('settings.saved')}</span>}
        </div>
        <ErrorNote error={op.error} />
      </form>
    </div>
  );
}
