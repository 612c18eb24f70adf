import type { Locale } from './messages';

/** The regional settings (how numbers and dates are written), apart from the formatting itself: the contract needs only these. */

/** The regions a user can choose: every Spanish-speaking country of the Americas, Spain, and a few English ones. */
export const REGIONS = [
  'es-AR', 'es-BO', 'es-CL', 'es-CO', 'es-CR', 'es-CU', 'es-DO', 'es-EC', 'es-ES', 'es-GT', 'es-HN', 'es-MX', 'es-NI',
  'es-PA', 'es-PE', 'es-PR', 'es-PY', 'es-SV', 'es-US', 'es-UY', 'es-VE', 'en-US', 'en-GB', 'en-CA',
] as const;
export type Region = (typeof REGIONS)[number];

/** The region used until one is chosen: the language's most likely one for Cupo's users. */
export function defaultRegion(lang: Locale): Region {
  return lang === 'es' ? 'es-PE' : 'en-US';
}

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

/** The country of a region, in the interface language ("Argentina", "Perú", "United States"). */
export function regionName(region: Region, lang: Locale): string {
  const country = region.slice(3);
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
}
