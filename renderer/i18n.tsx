import { createContext, useContext } from 'react';
import type { Bilingual, Locale } from '../shared/messages';
import { modelName } from '../shared/model-names';
import type { MessageKey } from './messages';
import { en, es } from './messages';

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** A sentence the engine sent, in both languages. */
  say: (message: Bilingual) => string;
  int: (n: number) => string;
  pct: (n: number) => string;
  /** A model candidate's name for people ("Red neuronal"), its id where the catalog has none. */
  modelName: (candidate: string) => string;
  one: (n: number) => string;
  date: (iso: string) => string;
}

export function makeI18n(locale: Locale): I18n {
  const catalog = locale === 'es' ? es : en;
  const tag = locale === 'es' ? 'es-PE' : 'en-US';
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    t: (key, values = {}) => catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)),
    say: (message) => message[locale],
    int: (n) => int.format(n),
    pct: (n) => pct.format(n),
    modelName: (candidate) => modelName(candidate)[locale],
    one: (n) => one.format(n),
    date: (iso) => date.format(new Date(iso)),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('es'));
export const useI18n = () => useContext(I18nContext);
