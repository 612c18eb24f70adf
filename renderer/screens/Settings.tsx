import { useEffect, useRef, useState } from 'react';
import type { Settings as SettingsValues } from '../../shared/contract';
import { SETTING_LIMITS } from '../../shared/contract';
import type { Region } from '../../shared/format';
import { REGIONS, defaultRegion, formatter, isRegion, regionName } from '../../shared/format';
import type { Locale } from '../../shared/messages';
import { ErrorNote, Loading } from '../components/common';
import { useEngineValue, useOperation } from '../components/operation';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';

/** The numbers as typed: text, so an emptied field stays empty and is said to be so, never saved as 1. */
interface Form {
  locale: Locale;
  region: Region | null;
  min: string;
  max: string;
  notifications: boolean;
  /** The promotion margin as a percentage ("2" is 2 %), and the rollback threshold in times ("1,5"). */
  margin: string;
  threshold: string;
}

type Field = 'min' | 'max' | 'margin' | 'threshold';
const WHOLE = { min: [1, 500], max: [1, 1000] } as const;
/** The contract's limits, as the fields show them: the margin in percent, the threshold in times. */
const DECIMAL = {
  margin: [SETTING_LIMITS.promotionMargin.min * 100, SETTING_LIMITS.promotionMargin.max * 100],
  threshold: [SETTING_LIMITS.rollbackThreshold.min, SETTING_LIMITS.rollbackThreshold.max],
} as const;
const FIELDS: readonly Field[] = ['min', 'max', 'margin', 'threshold'];

type Problems = Partial<Record<Field, string>>;

/** A decimal as typed the user's way: "1,5" or "1.5" (the ranges here have no thousands). */
function decimal(text: string): number | null {
  return /^\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : null;
}

/** What is wrong with the form, field by field, in a sentence each; empty when it can be saved. */
function check(form: Form, { t }: I18n): Problems {
  const problems: Problems = {};
  const numbers: Partial<Record<Field, number>> = {};
  for (const field of ['min', 'max'] as const) {
    const text = form[field].trim();
    const [low, high] = WHOLE[field];
    const n = Number(text);
    if (text === '') problems[field] = t('settings.invalid.empty');
    else if (!/^\d+$/.test(text) || n < low || n > high) problems[field] = t('settings.invalid.whole', { min: low, max: high });
    else numbers[field] = n;
  }
  for (const field of ['margin', 'threshold'] as const) {
    const text = form[field].trim();
    const [low, high] = DECIMAL[field];
    const n = decimal(text);
    if (text === '') problems[field] = t('settings.invalid.empty');
    else if (n === null || n < low || n > high) problems[field] = t('settings.invalid.decimal', { min: low, max: high });
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
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { value: stored, error } = useEngineValue('getSettings');
  const database = useEngineValue('status').value?.database ?? '';
  const [form, setForm] = useState<Form | null>(null);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  const inputs = { min: useRef<HTMLInputElement>(null), max: useRef<HTMLInputElement>(null), margin: useRef<HTMLInputElement>(null), threshold: useRef<HTMLInputElement>(null) };
  const op = useOperation();

  useEffect(() => {
    if (!stored) return;
    // Shown the region's way ("1,5" in es-AR), read back either way.
    const f = formatter(stored.locale, stored.region ?? null);
    const plain = (n: number) => f.message('{n}', { n: Math.round(n * 100) / 100 });
    setForm({
      locale: stored.locale,
      region: stored.region ?? null,
      min: String(stored.minClassSize),
      max: String(stored.maxClassSize),
      notifications: stored.notifications,
      margin: plain(stored.promotionMargin * 100),
      threshold: plain(stored.rollbackThreshold),
    });
  }, [stored]);

  if (!form) return <Loading error={error} />;
  const problems = check(form, i18n);
  const wrong = FIELDS.find((f) => problems[f]);
  const shown: Problems = tried ? problems : {};
  const set = (patch: Partial<Form>) => {
    setSaved(false);
    setForm({ ...form, ...patch });
  };
  const save = async () => {
    setTried(true);
    if (wrong) {
      inputs[wrong].current?.focus();
      return;
    }
    const result = await op.run('saveSettings', {
      locale: form.locale,
      region: form.region,
      minClassSize: Number(form.min),
      maxClassSize: Number(form.max),
      notifications: form.notifications,
      // Percent to a share, rounded so 2,5 % is 0.025 and not 0.025000000000000001.
      promotionMargin: Math.round(decimal(form.margin.trim())! * 10) / 1000,
      rollbackThreshold: Math.round(decimal(form.threshold.trim())! * 100) / 100,
    });
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
              ref={inputs[field]}
              type="number"
              inputMode="numeric"
              min={WHOLE[field][0]}
              max={WHOLE[field][1]}
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
        <h2>{t('settings.lifecycle')}</h2>
        {(
          [
            ['margin', 'settings.margin', 'settings.margin.help'],
            ['threshold', 'settings.threshold', 'settings.threshold.help'],
          ] as const
        ).map(([field, label, help]) => (
          <label key={field}>
            {t(label)}
            <input
              ref={inputs[field]}
              type="text"
              inputMode="decimal"
              value={form[field]}
              aria-invalid={shown[field] ? true : undefined}
              aria-describedby={shown[field] ? `${field}-problem ${field}-help` : `${field}-help`}
              onChange={(e) => set({ [field]: e.target.value })}
            />
            {shown[field] && (
              <span id={`${field}-problem`} className="field-error">
                {shown[field]}
              </span>
            )}
            <span id={`${field}-help`} className="hint">
              {t(help, { default: field === 'margin' ? i18n.int(2) : i18n.one(1.5) })}
            </span>
          </label>
        ))}
        <h2>{t('settings.notices')}</h2>
        <label className="check">
          <input type="checkbox" checked={form.notifications} aria-describedby="notifications-help" onChange={(e) => set({ notifications: e.target.checked })} />
          {t('settings.notifications')}
        </label>
        <span id="notifications-help" className="hint">
          {t('settings.notifications.help')}
        </span>
        <p>
          {t('settings.database')}: <code>{database}</code>
        </p>
        <div className="actions">
          <button type="submit" disabled={op.busy}>
            {t('settings.save')}
          </button>
          <span role="status">{saved ? t('settings.saved') : tried && wrong ? t('settings.invalid.summary') : ''}</span>
        </div>
        <ErrorNote error={op.error} />
      </form>
    </div>
  );
}
