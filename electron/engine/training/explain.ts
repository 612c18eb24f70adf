import type { Bilingual } from '../../../shared/messages';
import type { TrainingReport } from '../../../shared/reports';

function fmt(n: number, locale: 'es-PE' | 'en-US', digits = 1): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** The result of a training run in words a coordinator reads: how far off, and compared with doing nothing clever. */
export function explainTraining(report: TrainingReport): Bilingual {
  const chosen = report.candidates.find((c) => c.candidate === report.winner)!;
  const gain = report.last_value_wape > 0 ? (report.last_value_wape - chosen.wape) / report.last_value_wape : 0;
  const periods = report.backtest_periods.join(', ');
  const pct = (n: number, locale: 'es-PE' | 'en-US') => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(n);
  const comparison: Bilingual =
    chosen.candidate === 'last_value'
      ? { es: 'ningún modelo superó a repetir el periodo anterior, así que eso es lo que se usa', en: 'no model beat repeating the previous period, so that is what is used' }
      : { es: `${pct(gain, 'es-PE')} mejor que repetir el periodo anterior`, en: `${pct(gain, 'en-US')} better than repeating the previous period` };
  return {
    es: `Probado en ${periods}: en promedio el pronóstico se equivocó en ${fmt(chosen.mae, 'es-PE')} alumnos por clase (${pct(chosen.wape, 'es-PE')} de los alumnos); ${comparison.es}.`,
    en: `Tested on ${periods}: on average the forecast was off by ${fmt(chosen.mae, 'en-US')} students per class (${pct(chosen.wape, 'en-US')} of students); ${comparison.en}.`,
  };
}
