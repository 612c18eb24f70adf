import { both } from '../../../shared/format';
import type { Bilingual } from '../../../shared/messages';
import type { PeriodFrequency, TrainingReport } from '../../../shared/reports';

/**
 * The result of a training run in words a coordinator reads: how far off, and compared with doing nothing clever.
 * `frequency` is the data's, so a period written 2024-1 in a monthly dataset reads as January.
 */
export function explainTraining(report: TrainingReport, frequency?: PeriodFrequency): Bilingual {
  const chosen = report.candidates.find((c) => c.candidate === report.winner)!;
  const gain = report.last_value_wape > 0 ? (report.last_value_wape - chosen.wape) / report.last_value_wape : 0;
  return both((f) => {
    const periods = f.list(report.backtest_periods.map((p) => f.period(p, frequency)));
    if (f.lang === 'es') {
      const comparison = chosen.candidate === 'last_value' ? 'ningún modelo superó a repetir el periodo anterior, así que eso es lo que se usa' : `${f.pct(gain, 0)} mejor que repetir el periodo anterior`;
      return `Probado en ${periods}: en promedio el pronóstico se equivocó en ${f.one(chosen.mae)} alumnos por clase (${f.pct(chosen.wape, 0)} de los alumnos); ${comparison}.`;
    }
    const comparison = chosen.candidate === 'last_value' ? 'no model beat repeating the previous period, so that is what is used' : `${f.pct(gain, 0)} better than repeating the previous period`;
    return `Tested on ${periods}: on average the forecast was off by ${f.one(chosen.mae)} students per class (${f.pct(chosen.wape, 0)} of students); ${comparison}.`;
  });
}
