import type { AuditEntry } from '../../shared/reports';
import type { I18n } from '../i18n';
import type { MessageKey } from '../messages';

/** What the audit log needs to name things for people: model versions and imports by their ids. */
export interface AuditNames {
  models: Map<string, string>;
  /** Import (snapshot) id → file name. */
  files: Map<string, string>;
}

export interface AuditLine {
  what: string;
  /** "before → after" in words, or '' when the action changes nothing one can name. */
  change: string;
  who: string;
  reason: string;
}

const SETTING_KEYS: Record<string, MessageKey> = {
  locale: 'settings.language',
  region: 'settings.region',
  minClassSize: 'settings.min',
  maxClassSize: 'settings.max',
  notifications: 'settings.notifications',
  promotionMargin: 'settings.margin',
  rollbackThreshold: 'settings.threshold',
  inboxFolder: 'settings.inbox',
  outboxFolder: 'settings.outbox',
  classSizes: 'settings.sizes.particular',
};

function parsed(text: string | null): Record<string, unknown> {
  try {
    const value = JSON.parse(text ?? '{}') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A setting's value the way Settings shows it. */
function settingValue(key: string, value: unknown, i18n: I18n): string {
  if (value === null || value === undefined) return i18n.t('audit.setting.default');
  if (typeof value === 'boolean') return i18n.t(value ? 'audit.setting.on' : 'audit.setting.off');
  if (key === 'locale') return value === 'es' ? 'Español' : value === 'en' ? 'English' : String(value);
  if (key === 'promotionMargin' && typeof value === 'number') return i18n.pct(value, 1);
  if (key === 'rollbackThreshold' && typeof value === 'number') return i18n.t('settings.threshold.times', { times: i18n.one(value) });
  if (typeof value === 'number') return i18n.int(value);
  if (key === 'classSizes' && Array.isArray(value)) {
    if (value.length === 0) return i18n.t('settings.sizes.none');
    return (value as { site?: string; course?: string; minClassSize: number; maxClassSize: number }[])
      .map((r) => `${[r.site, r.course].filter(Boolean).join(' · ')}: ${i18n.int(r.minClassSize)}–${i18n.int(r.maxClassSize)}`)
      .join(', ');
  }
  return String(value);
}

/** The settings that changed, each as "Alumnos mínimos…: 8 → 10". */
function settingsChange(entry: AuditEntry, i18n: I18n): string {
  const before = parsed(entry.from);
  const after = parsed(entry.to);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys
    .map((k) => `${SETTING_KEYS[k] ? i18n.t(SETTING_KEYS[k]) : k}: ${settingValue(k, before[k], i18n)} → ${settingValue(k, after[k], i18n)}`)
    .join('; ');
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** One entry of the audit log in words: what was done, from what to what, by whom and why. Never an id. */
export function auditLine(entry: AuditEntry, names: AuditNames, i18n: I18n): AuditLine {
  const { t, say, period } = i18n;
  const d = entry.details ?? {};
  const model = (id: string | null) => (id ? (names.models.get(id) ?? t('audit.unknownModel')) : '—');
  const arrow = (from: string, to: string) => `${from} → ${to}`;
  const who = entry.who === 'cupo' || entry.who === 'automático' || entry.who === 'automatic' ? t('audit.who.cupo') : entry.who;
  const reason = entry.reason ? say(entry.reason) : '—';
  let what: string;
  let change = '';
  switch (entry.what) {
    case 'import': {
      const periods = Array.isArray(d.periods) ? (d.periods as string[]) : [];
      what = t('audit.import', { file: text(d.file) ?? '—', periods: i18n.periods(periods) });
      break;
    }
    case 'reopen':
      what = t('audit.reopen', { file: (entry.to && names.files.get(entry.to)) ?? t('audit.earlierImport') });
      break;
    case 'train':
      // `from` and `to` are the models in use before and after; `details.model_id` the one this training made.
      if (d.promoted === true) {
        what = t(d.forced === true ? 'audit.train.forced' : 'audit.train.promoted', { model: model(text(d.model_id)) });
        change = arrow(model(entry.from), model(entry.to));
      } else what = t('audit.train.kept', { model: model(text(d.model_id)) });
      break;
    case 'promote':
      what = t(d.how === 'force' ? 'audit.promote.forced' : 'audit.promote');
      change = arrow(model(entry.from), model(entry.to));
      break;
    case 'rollback':
      what = t(d.how === 'auto_rollback' ? 'audit.rollback.auto' : 'audit.rollback');
      change = arrow(model(entry.from), model(entry.to));
      break;
    case 'settings_changed':
      what = t('audit.settings');
      change = settingsChange(entry, i18n);
      break;
    case 'forecast_exported':
      what = t('audit.exported', { period: text(d.period) ? period(text(d.period)!) : '—', format: String(d.format ?? '').toUpperCase() });
      break;
    case 'report_written':
      what = t(d.kind === 'model_card' ? 'audit.report.card' : 'audit.report', { file: entry.to ?? '—' });
      break;
    case 'inbox_run':
      what = t('audit.inbox');
      break;
    case 'backup':
      what = t('audit.backup');
      break;
    case 'restore':
      what = t('audit.restore');
      break;
    case 'import_set_aside':
      what = t('audit.setAside', { file: text(d.file) ?? (entry.to && names.files.get(entry.to)) ?? t('audit.earlierImport') });
      break;
    case 'import_restored':
      what = t('audit.restored', { file: text(d.file) ?? (entry.to && names.files.get(entry.to)) ?? t('audit.earlierImport') });
      break;
    case 'forecast_override': {
      const where = { class: [d.site, d.course, d.schedule].map((v) => text(v) ?? '').join(' · '), period: text(d.period) ? period(text(d.period)!) : '—' };
      what = t(entry.to === null ? 'audit.override.removed' : 'audit.override', where);
      change = arrow(entry.from ?? (typeof d.predicted === 'number' ? i18n.int(d.predicted) : '—'), entry.to ?? (typeof d.predicted === 'number' ? i18n.int(d.predicted) : '—'));
      break;
    }
    default:
      what = String(entry.what);
  }
  return { what, change, who, reason };
}
