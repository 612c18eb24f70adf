import { useState } from 'react';
import type { Settings as SettingsValues } from '../../shared/contract';
import type { Locale } from '../../shared/messages';
import { ErrorNote, Loading } from '../components/common';
import { useEngineValue, useOperation } from '../components/operation';
import { useI18n } from '../i18n';

export function Settings({ onLocale }: { onLocale: (l: Locale) => void }) {
  const { t } = useI18n();
  const { value: values, error, setValue: setValues } = useEngineValue('getSettings');
  const database = useEngineValue('status').value?.database ?? '';
  const [saved, setSaved] = useState(false);
  const op = useOperation();

  if (!values) return <Loading error={error} />;
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
