import type { ChampionChange, ModelVersionInfo } from '../../shared/reports';
import type { I18n } from '../i18n';

/** One change of the model in use, oldest first: which model, from when to when, how, why and by whom. */
export interface Tenure {
  model: ModelVersionInfo;
  from: string;
  to: string | null;
  how: ChampionChange;
  reason: ModelVersionInfo['served'][number]['reason'];
  by: string;
}

/** Every time a model served, in the order it happened (the registry's own order: by when it started). */
export function tenures(models: readonly ModelVersionInfo[]): Tenure[] {
  return models
    .flatMap((model) => model.served.map((s) => ({ model, ...s })))
    .sort((a, b) => a.from.localeCompare(b.from) || (a.to === null ? 1 : 0) - (b.to === null ? 1 : 0));
}

/**
 * The model a rollback brings back, as the registry decides it: a rollback undoes the change that made the current
 * model serve, so rolling back twice goes two steps back, never back and forth. Null when there is none.
 */
export function previousChampion(models: readonly ModelVersionInfo[]): ModelVersionInfo | null {
  const stack: string[] = [];
  for (const t of tenures(models)) {
    if (t.how === 'rollback' || t.how === 'auto_rollback') {
      stack.pop();
      if (stack.at(-1) !== t.model.id) stack.push(t.model.id);
    } else stack.push(t.model.id);
  }
  const id = stack.length >= 2 ? stack.at(-2)! : null;
  return models.find((m) => m.id === id) ?? null;
}

/**
 * A model version as a person tells it apart: its method's name and when it was trained ("Red neuronal del
 * 23 nov. 2026"), with the time when two of the same method were trained the same day, and its number when even the minute is the same
 * ("… 11:40 p. m., n.º 3"). Never its id.
 */
export function versionLabel(model: ModelVersionInfo, all: readonly ModelVersionInfo[], { t, modelName, day, date }: I18n): string {
  const sameDay = all.filter((m) => m.candidate === model.candidate && day(m.created_at) === day(model.created_at));
  const when = sameDay.length > 1 ? date(model.created_at) : day(model.created_at);
  const label = t('models.label', { name: modelName(model.candidate), date: when });
  // Trained the same minute (a retraining right after another), the time does not tell them apart: their number does.
  if (sameDay.filter((m) => date(m.created_at) === when).length < 2) return label;
  return t('models.label.numbered', { label, number: Number(/\d+$/.exec(model.id)?.[0] ?? 0) });
}

/** A label for every model id, for the screens that name models by id (the audit log, a switch's result). */
export function labelsById(models: readonly ModelVersionInfo[], i18n: I18n): Map<string, string> {
  return new Map(models.map((m) => [m.id, versionLabel(m, models, i18n)]));
}
