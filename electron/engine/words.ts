import type { Bilingual, Locale } from '../../shared/messages';
import { modelName } from '../../shared/model-names';

/** A number as each language writes it: "17,7" in Spanish, "17.7" in English. */
export function decimal(n: number, locale: Locale, digits = 1): string {
  const fixed = n.toFixed(digits);
  return locale === 'es' ? fixed.replace('.', ',') : fixed;
}

/** A share as a percentage: "17,7 %" in Spanish, "17.7%" in English. */
export function percent(share: number, locale: Locale, digits = 1): string {
  return locale === 'es' ? `${decimal(share * 100, 'es', digits)} %` : `${decimal(share * 100, 'en', digits)}%`;
}

/** "Red neuronal, 17,7 %": a model and its error, for a sentence. */
export function modelWithError(candidate: string, wape: number): Bilingual {
  const name = modelName(candidate);
  return { es: `${name.es}, ${percent(wape, 'es')}`, en: `${name.en}, ${percent(wape, 'en')}` };
}

export function joinSentences(messages: readonly Bilingual[]): Bilingual {
  return { es: messages.map((m) => m.es).join(' '), en: messages.map((m) => m.en).join(' ') };
}
