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
  /** The folders as typed; empty: none. */
  inbox: string;
  outbox: string;
  /** Sizes for particular sites or courses, as typed. */
  rules: { site: string; course: string; min: string; max: string }[];
}

type Field = 'min' | 'max' | 'margin' | 'threshold';
/** A folder the engine can find: a path from the root of a drive or of the file system (what the contract accepts). */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
const WHOLE = { min: [1, 500], max: [1, 1000] } as const;
/** The contract's limits, as the fields show them: the margin in percent, the threshold in times. */
const DECIMAL = {
  margin: [SETTING_LIMITS.promotionMargin.min * 100, SETTING_LIMITS.promotionMargin.max * 100],
  threshold: [SETTING_LIMITS.rollbackThreshold.min, SETTING_LIMITS.rollbackThreshold.max],
} as const;
const FIELDS: readonly Field[] = ['min', 'max', 'margin', 'threshold'];

/** Per field: the four above, 'inbox', 'outbox', and each particular size's `rule-<n>-site|min|max`. */
type Problems = Partial<Record<string, string>>;

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
  for (const field of ['inbox', 'outbox'] as const) {
    const text = form[field].trim();
    if (text !== '' && !ABSOLUTE.test(text)) problems[field] = t('settings.invalid.folder');
  }
  if (!problems.outbox && form.outbox.trim() !== '' && form.inbox.trim() === '') problems.outbox = t('settings.invalid.outboxAlone');
  form.rules.forEach((rule, i) => {
    if (rule.site.trim() === '' && rule.course.trim() === '') problems[`rule-${i}-site`] = t('settings.invalid.rule');
    const sizes: Partial<Record<'min' | 'max', number>> = {};
    for (const field of ['min', 'max'] as const) {
      const text = rule[field].trim();
      const [low, high] = WHOLE[field];
      const n = Number(text);
      if (text === '') problems[`rule-${i}-${field}`] = t('settings.invalid.empty');
      else if (!/^\d+$/.test(text) || n < low || n > high) problems[`rule-${i}-${field}`] = t('settings.invalid.whole', { min: low, max: high });
      else sizes[field] = n;
    }
    if (sizes.min !== undefined && sizes.max !== undefined && sizes.min > sizes.max) problems[`rule-${i}-min`] = t('settings.invalid.order', { max: sizes.max });
  });
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
  const formElement = useRef<HTMLFormElement>(null);
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
      inbox: stored.inboxFolder ?? '',
      outbox: stored.outboxFolder ?? '',
      rules: stored.classSizes.map((r) => ({ site: r.site ?? '', course: r.course ?? '', min: String(r.minClassSize), max: String(r.maxClassSize) })),
    });
  }, [stored]);

  if (!form) return <Loading error={error} />;
  const problems = check(form, i18n);
  const wrong = FIELDS.find((f) => problems[f]);
  const anyWrong = Object.keys(problems).length > 0;
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
    if (anyWrong) {
      requestAnimationFrame(() => formElement.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
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
      inboxFolder: form.inbox.trim() || null,
      outboxFolder: form.outbox.trim() || null,
      classSizes: form.rules.map((r) => ({
        ...(r.site.trim() ? { site: r.site.trim() } : {}),
        ...(r.course.trim() ? { course: r.course.trim() } : {}),
        minClassSize: Number(r.min.trim()),
        maxClassSize: Number(r.max.trim()),
      })),
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
        ref={formElement}
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
        <fieldset className="settings-group">
          <legend>{t('settings.sizes.particular')}</legend>
          <p className="hint" id="rules-help">
            {t('settings.sizes.particular.help')}
          </p>
          {form.rules.length === 0 && <p className="muted">{t('settings.sizes.none')}</p>}
          {form.rules.map((rule, i) => {
            const setRule = (patch: Partial<Form['rules'][number]>) => set({ rules: form.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
            const field = (key: 'site' | 'course' | 'min' | 'max', label: string, numeric: boolean) => {
              const problem = shown[`rule-${i}-${key}`];
              return (
                <label key={key}>
                  {label}
                  <input
                    type={numeric ? 'number' : 'text'}
                    {...(numeric ? { inputMode: 'numeric' as const, min: WHOLE[key as 'min' | 'max'][0], max: WHOLE[key as 'min' | 'max'][1], step: 1 } : { placeholder: t('settings.sizes.blank') })}
                    value={rule[key]}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `rule-${i}-${key}-problem` : undefined}
                    onChange={(e) => setRule({ [key]: e.target.value })}
                  />
                  {problem && (
                    <span id={`rule-${i}-${key}-problem`} className="field-error">
                      {problem}
                    </span>
                  )}
                </label>
              );
            };
            return (
              <fieldset key={i} className="size-rule">
                <legend>{t('settings.sizes.row', { n: i + 1 })}</legend>
                {field('site', t('settings.sizes.site'), false)}
                {field('course', t('settings.sizes.course'), false)}
                {field('min', t('settings.min'), true)}
                {field('max', t('settings.max'), true)}
                <button type="button" className="secondary" onClick={() => set({ rules: form.rules.filter((_, j) => j !== i) })}>
                  {t('settings.sizes.remove', { n: i + 1 })}
                </button>
              </fieldset>
            );
          })}
          <div>
            <button type="button" className="secondary" onClick={() => set({ rules: [...form.rules, { site: '', course: '', min: form.min, max: form.max }] })}>
              {t('settings.sizes.add')}
            </button>
          </div>
        </fieldset>
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
        <h2>{t('settings.folders')}</h2>
        <p className="hint" id="folders-help">
          {t('settings.folders.help')}
        </p>
        {(
          [
            ['inbox', 'settings.inbox'],
            ['outbox', 'settings.outbox'],
          ] as const
        ).map(([field, label]) => (
          <label key={field}>
            {t(label)}
            <input
              type="text"
              spellCheck={false}
              value={form[field]}
              aria-invalid={shown[field] ? true : undefined}
              aria-describedby={shown[field] ? `${field}-problem ${field}-hint` : `${field}-hint`}
              onChange={(e) => set({ [field]: e.target.value })}
            />
            {shown[field] && (
              <span id={`${field}-problem`} className="field-error">
                {shown[field]}
              </span>
            )}
            <span id={`${field}-hint`} className="hint">
              {t(field === 'inbox' ? 'settings.folder.hint' : 'settings.folder.hint.out')}
            </span>
          </label>
        ))}
        <p>
          {t('settings.database')}: <code>{database}</code>
        </p>
        <div className="actions">
          <button type="submit" disabled={op.busy}>
            {t('settings.save')}
          </button>
          <span role="status">{saved ? t('settings.saved') : tried && anyWrong ? t('settings.invalid.summary') : ''}</span>
        </div>
        <ErrorNote error={op.error} />
      </form>
    </div>
  );
}
