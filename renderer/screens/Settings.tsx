import { useEffect, useRef, useState } from 'react';
import type { Settings as SettingsValues } from '../../shared/contract';
import type { Region } from '../../shared/format';
import { REGIONS, defaultRegion, formatter, isRegion, regionName } from '../../shared/format';
import type { Locale } from '../../shared/messages';
import { ErrorNote, Loading } from '../components/common';
import { useEngineValue, useOperation } from '../components/operation';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';

/** The class sizes as typed: text, so an emptied field stays empty and is said to be so, never saved as 1. */
interface Form {
  locale: Locale;
  region: Region | null;
  min: string;
  max: string;
}

const LIMITS = { min: [1, 500], max: [1, 1000] } as const;

type Problems = Partial<Record<'min' | 'max', string>>;

/** What is wrong with the form, field by field, in a sentence each; empty when it can be saved. */
function check(form: Form, t: I18n['t']): Problems {
  const problems: Problems = {};
  const numbers: Partial<Record<'min' | 'max', number>> = {};
  for (const field of ['min', 'max'] as const) {
    const text = form[field].trim();
    const [low, high] = LIMITS[field];
    const n = Number(text);
    if (text === '') problems[field] = t('settings.invalid.empty');
    else if (!/^\d+$/.test(text) || n < low || n > high) problems[field] = t('settings.invalid.whole', { min: low, max: high });
    else numbers[field] = n;
  }
  if (numbers.min !== undefined && numbers.max !== undefined && numbers.min > numbers.max) problems.min = t('settings.invalid.order', { max: numbers.max });
  return problems;
}

/** One example of each thing a region changes, so the choice is seen rather than guessed. */
function example(t: I18n['t'], locale: Locale, region: Region | null): string {
  const f = formatter(locale, region);
  return t('settings.region.example', { number: f.int(1532), percent: f.pct(0.125), date: f.date('2026-11-12T12:00:00') });
}

export function Settings({ onSaved }: { onSaved: (values: SettingsValues) => void }) {
  const { t, locale } = useI18n();
  const { value: stored, error } = useEngineValue('getSettings');
  const database = useEngineValue('status').value?.database ?? '';
  const [form, setForm] = useState<Form | null>(null);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  const minInput = useRef<HTMLInputElement>(null);
  const maxInput = useRef<HTMLInputElement>(null);
  const op = useOperation();

  useEffect(() => {
    if (stored) setForm({ locale: stored.locale, region: stored.region ?? null, min: String(stored.minClassSize), max: String(stored.maxClassSize) });
  }, [stored]);

  if (!form) return <Loading error={error} />;
  const problems = check(form, t);
  const shown: Problems = tried ? problems : {};
  const set = (patch: Partial<Form>) => {
    setSaved(false);
    setForm({ ...form, ...patch });
  };
  const save = async () => {
    setTried(true);
    if (problems.min || problems.max) {
      (problems.min ? minInput : maxInput).current?.focus();
      return;
    }
    const result = await op.run('saveSettings', { locale: form.locale, region: form.region, minClassSize: Number(form.min), maxClassSize: Number(form.max) });
    if (result) {
      setSaved(true);
      onSaved(result);
    }
  };
  const regions = [...REGIONS].sort((a, b) => regionName(a, locale).localeCompare(regionName(b, locale), locale));

  return (
    <div>
      <form
        className="settings"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t('settings.language')}
          <select value={form.locale} onChange={(e) => set({ locale: e.target.value as Locale })}>
            <option value="es" lang="es">
              Español
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </label>
        <label>
          {t('settings.region')}
          <select aria-describedby="region-example" value={form.region ?? ''} onChange={(e) => set({ region: isRegion(e.target.value) ? e.target.value : null })}>
            <option value="">{t('settings.region.auto', { name: regionName(defaultRegion(form.locale), locale) })}</option>
            {regions.map((r) => (
              <option key={r} value={r}>
                {regionName(r, locale)} ({r})
              </option>
            ))}
          </select>
          <span id="region-example" className="hint">
            {example(t, form.locale, form.region)}
          </span>
        </label>
        <p className="hint" id="sizes-help">
          {t('settings.sizes.help')}
        </p>
        {(['min', 'max'] as const).map((field) => (
          <label key={field}>
            {t(field === 'min' ? 'settings.min' : 'settings.max')}
            <input
              ref={field === 'min' ? minInput : maxInput}
              type="number"
              inputMode="numeric"
              min={LIMITS[field][0]}
              max={LIMITS[field][1]}
              step={1}
              value={form[field]}
              aria-invalid={shown[field] ? true : undefined}
              aria-describedby={shown[field] ? `${field}-problem` : 'sizes-help'}
              onChange={(e) => set({ [field]: e.target.value })}
            />
            {shown[field] && (
              <span id={`${field}-problem`} className="field-error">
                {shown[field]}
              </span>
            )}
          </label>
        ))}
        <p>
          {t('settings.database')}: <code>{database}</code>
        </p>
        <div className="actions">
          <button type="submit" disabled={op.busy}>
            {t('settings.save')}
          </button>
          <span role="status">{saved ? t('settings.saved') : tried && (problems.min || problems.max) ? t('settings.invalid.summary') : ''}</span>
        </div>
        <ErrorNote error={op.error} />
      </form>
    </div>
  );
}
