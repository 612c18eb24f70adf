/**
 * The model card as a PDF: for whoever has to trust (or question) the forecast — what the model learned from,
 * what it was chosen over, where it does worse, what it cannot know, and who put it in service.
 */
import type { Locale } from '../../../shared/messages';
import type { ChampionChange } from '../../../shared/reports';
import { modelName } from '../../../shared/model-names';
import { day, int, list, one, pct, periodForPeople, signedPct } from './format';
import { COLORS, ReportPdf } from './pdf';
import type { ModelCard } from './types';
import { SITE_FLAG_FACTOR } from './types';

const HOW: Record<ChampionChange, { es: string; en: string }> = {
  train: { es: 'al entrenar (superó al anterior)', en: 'on training (it beat the one before)' },
  promote: { es: 'promovido por una persona', en: 'promoted by a person' },
  force: { es: 'puesto en servicio a la fuerza', en: 'forced into service' },
  rollback: { es: 'vuelta atrás pedida por una persona', en: 'rolled back by a person' },
  auto_rollback: { es: 'vuelta atrás automática (el modelo siguiente rendía peor)', en: 'automatic rollback (the next model did worse)' },
};

const STATUS: Record<string, { es: string; en: string }> = {
  champion: { es: 'en uso', en: 'in use' },
  challenger: { es: 'guardado, no en uso', en: 'kept, not in use' },
  retired: { es: 'retirado', en: 'retired' },
};

/** The sentences of the card, apart from the drawing, so tests can read them. */
export function modelCardSentences(c: ModelCard, locale: Locale) {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const P = (period: string) => periodForPeople(period, c.notation, locale);
  const n = (x: number) => int(x, locale);
  const name = (candidate: string) => modelName(candidate)[locale];
  const tested = c.run.backtestPeriods.map(P);

  const headline = t(
    `En las pruebas sobre ${tested.length} ${tested.length === 1 ? 'periodo ya ocurrido' : 'periodos ya ocurridos'} (${list(tested, locale)}), este modelo se equivocó en ${pct(c.model.backtestWape, locale)} de los alumnos: de cada 100 alumnos matriculados, unos ${Math.round(c.model.backtestWape * 100)} quedaron mal pronosticados.`,
    `Tested on ${tested.length} ${tested.length === 1 ? 'period that already happened' : 'periods that already happened'} (${list(tested, locale)}), this model was off by ${pct(c.model.backtestWape, locale)} of the students: of every 100 students enrolled, about ${Math.round(c.model.backtestWape * 100)} were forecast wrongly.`,
  );

  const d = c.data;
  const data = [
    t(
      `${n(d.periods.length)} periodos, de ${P(d.periods[0]!)} a ${P(d.periods.at(-1)!)}: ${n(d.sites)} sedes, ${n(d.courses)} cursos, ${n(d.classes)} clases y ${n(d.students)} matrículas.`,
      `${n(d.periods.length)} periods, ${P(d.periods[0]!)} to ${P(d.periods.at(-1)!)}: ${n(d.sites)} sites, ${n(d.courses)} courses, ${n(d.classes)} classes and ${n(d.students)} enrolments.`,
    ),
    t(
      `Importaciones: ${list(d.snapshots.map((s) => `${s.file} (${s.id}, ${day(s.importedAt, locale)})`), locale, 8)}.`,
      `Imports: ${list(d.snapshots.map((s) => `${s.file} (${s.id}, ${day(s.importedAt, locale)})`), locale, 8)}.`,
    ),
    t(
      `Versiones: datos ${d.platinumVersion}, variables ${d.featuresVersion}, objetivo ${d.targetVersion}; entrenamiento ${c.run.id}${c.model.seed !== null ? `, semilla ${c.model.seed}` : ''}. Los mismos datos y la misma semilla dan el mismo modelo.`,
      `Versions: data ${d.platinumVersion}, features ${d.featuresVersion}, target ${d.targetVersion}; training run ${c.run.id}${c.model.seed !== null ? `, seed ${c.model.seed}` : ''}. The same data and seed give the same model.`,
    ),
  ];

  const best = c.candidates[0];
  const simple = c.candidates.find((x) => x.candidate === 'last_value');
  let candidates = best
    ? t(
        `Se probaron ${c.candidates.length} modelos con los mismos periodos; el de menor error fue «${name(best.candidate)}» (${pct(best.wape, locale)}).`,
        `${c.candidates.length} models were tested on the same periods; the one with the lowest error was "${name(best.candidate)}" (${pct(best.wape, locale)}).`,
      )
    : t('No hay resultados de las pruebas.', 'There are no test results.');
  if (simple && simple.candidate !== c.model.candidate) {
    candidates += t(
      ` La regla más simple, «${name('last_value')}», se equivocó en ${pct(simple.wape, locale)}.`,
      ` The simplest rule, "${name('last_value')}", was off by ${pct(simple.wape, locale)}.`,
    );
  }
  if (best && best.candidate !== c.model.candidate) {
    candidates += t(
      ` El modelo en uso es «${name(c.model.candidate)}»: el ganador no lo superó por el margen que se exige para cambiar.`,
      ` The model in use is "${name(c.model.candidate)}": the winner did not beat it by the margin required to switch.`,
    );
  }

  const flagged = c.sites.filter((s) => s.flagged);
  const sites = flagged.length > 0
    ? t(
        `${list(flagged.map((s) => `${s.site} (${pct(s.wape, locale)})`), locale)} ${flagged.length === 1 ? 'sale' : 'salen'} mucho peor que el conjunto: más de ${one(SITE_FLAG_FACTOR, locale)} veces el error general de ${pct(c.model.backtestWape, locale)}. Revise sus pronósticos con más cuidado.`,
        `${list(flagged.map((s) => `${s.site} (${pct(s.wape, locale)})`), locale)} ${flagged.length === 1 ? 'is' : 'are'} served much worse than the whole: more than ${one(SITE_FLAG_FACTOR, locale)} times the overall error of ${pct(c.model.backtestWape, locale)}. Check their forecasts more carefully.`,
      )
    : t(
        `Ninguna sede sale mucho peor que el conjunto: todas quedan por debajo de ${one(SITE_FLAG_FACTOR, locale)} veces el error general de ${pct(c.model.backtestWape, locale)}.`,
        `No site is served much worse than the whole: all stay under ${one(SITE_FLAG_FACTOR, locale)} times the overall error of ${pct(c.model.backtestWape, locale)}.`,
      );

  const coverage = c.coverage
    ? t(
        `Los intervalos deberían contener la realidad el ${pct(c.coverage.nominal, locale)} de las veces; en las pruebas la contuvieron el ${pct(c.coverage.observed, locale)}.`,
        `The intervals should hold what happens ${pct(c.coverage.nominal, locale)} of the time; in testing they held it ${pct(c.coverage.observed, locale)}.`,
      )
    : t(
        'Este modelo da un solo número por clase, sin intervalo: todavía no se puede medir con qué frecuencia la realidad cae dentro de un rango.',
        'This model gives one number per class, without an interval: how often reality falls inside a range cannot be measured yet.',
      );

  const real = c.real.length > 0
    ? c.real.map((r) => t(`${P(r.period)}: se equivocó en ${pct(r.wape, locale)} (las pruebas prometían ${pct(r.expected, locale)}).`, `${P(r.period)}: off by ${pct(r.wape, locale)} (testing promised ${pct(r.expected, locale)}).`))
    : [t('Ninguno de sus pronósticos tiene todavía resultados reales con que compararlo.', 'None of its forecasts has met its actual results yet.')];

  const limits: string[] = [];
  if (c.model.stale) {
    limits.push(t(
      'Se entrenó antes de la última importación: no conoce los datos más recientes. Vuelva a entrenar.',
      'It was trained before the latest import: it does not know the most recent data. Train again.',
    ));
  }
  const perYear = c.notation.frequency === 'month' ? 12 : c.notation.frequency === 'term' ? Math.max(1, new Set(d.periods.map((p) => p.split('-')[1])).size) : 1;
  if (d.periods.length < 2 * perYear) {
    limits.push(t(
      `Aprendió de menos de dos años de historia: lo que pasa una vez al año (inicio de clases, vacaciones) lo ha visto pocas veces.`,
      `It learned from less than two years of history: what happens once a year (the start of the school year, holidays) it has seen only a few times.`,
    ));
  }
  if (c.run.backtestPeriods.length < 3) {
    limits.push(t(
      `Se probó en solo ${c.run.backtestPeriods.length} ${c.run.backtestPeriods.length === 1 ? 'periodo' : 'periodos'}: su error real puede alejarse del de las pruebas.`,
      `It was tested on only ${c.run.backtestPeriods.length} ${c.run.backtestPeriods.length === 1 ? 'period' : 'periods'}: its real error may differ from the tested one.`,
    ));
  }
  limits.push(
    t(
      'Pronostica una clase solo si corre ahora, corrió hace un año o su curso previo corre ahora en esa sede y horario: una clase del todo nueva (curso, sede u horario nuevos) no aparece.',
      'It forecasts a class only if it runs now, ran a year ago, or its previous course runs now at that site and schedule: an entirely new class (new course, site or schedule) does not appear.',
    ),
    t(
      'No sabe de precios, campañas, feriados, cambios de local ni de competencia: si el próximo periodo será distinto por algo así, ajuste a mano.',
      'It knows nothing of prices, campaigns, holidays, moves or competitors: if the next period will differ for such a reason, adjust by hand.',
    ),
    t(
      'En clases pequeñas un error de uno o dos alumnos pesa mucho: decida con el total de la sede antes que con una clase sola.',
      'In small classes an error of one or two students weighs a lot: decide on a site’s total before a single class.',
    ),
  );
  if (best && Math.abs(best.bias) >= 0.03 && best.candidate === c.model.candidate) {
    limits.push(best.bias > 0
      ? t(`En las pruebas tendió a pronosticar de más (${signedPct(best.bias, locale)} en total).`, `In testing it tended to forecast too many (${signedPct(best.bias, locale)} overall).`)
      : t(`En las pruebas tendió a pronosticar de menos (${signedPct(best.bias, locale)} en total).`, `In testing it tended to forecast too few (${signedPct(best.bias, locale)} overall).`));
  }

  const served = c.tenures.length > 0
    ? c.tenures.map((s) => t(
        `${s.to ? `Del ${day(s.from, locale)} al ${day(s.to, locale)}` : `Desde el ${day(s.from, locale)}`}: ${HOW[s.how].es}, por ${s.by}. Motivo: ${s.reason.es}`,
        `${s.to ? `From ${day(s.from, locale)} to ${day(s.to, locale)}` : `Since ${day(s.from, locale)}`}: ${HOW[s.how].en}, by ${s.by}. Reason: ${s.reason.en}`,
      ))
    : [t('Nunca estuvo en uso.', 'It has never been in use.')];

  return { headline, data, candidates, sites, coverage, real, limits, served };
}

export async function renderModelCard(c: ModelCard, locale: Locale): Promise<Buffer> {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const P = (period: string) => periodForPeople(period, c.notation, locale);
  const s = modelCardSentences(c, locale);
  const name = (candidate: string) => modelName(candidate)[locale];

  const pdf = new ReportPdf({
    title: t(`Ficha del modelo ${c.model.id}`, `Model card — ${c.model.id}`),
    subject: t('Con qué datos aprendió, contra qué se comparó, dónde falla y quién lo puso en uso', 'What it learned from, what it was compared with, where it fails and who put it in use'),
    lang: locale,
    date: new Date(c.dataTime),
    footer: t(`Cupo · ficha del modelo ${c.model.id} · entrenamiento ${c.run.id}`, `Cupo · model card ${c.model.id} · training run ${c.run.id}`),
    pageWord: (page, pages) => t(`Página ${page} de ${pages}`, `Page ${page} of ${pages}`),
  });
  pdf.title(
    t(`Ficha del modelo ${c.model.id} — «${name(c.model.candidate)}»`, `Model card — ${c.model.id}, "${name(c.model.candidate)}"`),
    t(
      `Entrenado el ${day(c.model.createdAt, locale)} · ${STATUS[c.model.status]?.es ?? c.model.status} · error en las pruebas ${pct(c.model.backtestWape, locale)}`,
      `Trained ${day(c.model.createdAt, locale)} · ${STATUS[c.model.status]?.en ?? c.model.status} · tested error ${pct(c.model.backtestWape, locale)}`,
    ),
  );
  pdf.paragraph(s.headline, { bold: true, size: 10.5 });

  pdf.heading(t('Con qué datos aprendió', 'The data it learned from'));
  pdf.bullets(s.data);

  pdf.heading(t('Modelos comparados y resultados de las pruebas', 'Candidates and their test results'));
  pdf.paragraph(s.candidates);
  pdf.horizontalBars(
    c.candidates.map((x) => ({ label: name(x.candidate), value: x.wape, color: x.chosen ? COLORS.now : COLORS.before })),
    (v) => pct(v, locale),
  );
  const periods = c.run.backtestPeriods.slice(-5);
  const offset = c.run.backtestPeriods.length - periods.length;
  const share = 0.36 / Math.max(periods.length, 1);
  pdf.table(
    [
      { header: t('Modelo', 'Model'), width: 0.34 },
      ...periods.map((p) => ({ header: P(p), width: share, align: 'right' as const })),
      { header: t('Total', 'Overall'), width: 0.1, align: 'right' },
      { header: t('Alumnos/clase', 'Students/class'), width: 0.12, align: 'right' },
      { header: t('Sesgo', 'Bias'), width: 0.08, align: 'right' },
    ],
    c.candidates.map((x) => [
      `${name(x.candidate)}${x.chosen ? t(' (en uso)', ' (in use)') : ''}`,
      ...x.perPeriod.slice(offset).map((w) => (w === null ? '—' : pct(w, locale))),
      pct(x.wape, locale),
      one(x.mae, locale),
      signedPct(x.bias, locale),
    ]),
  );
  pdf.paragraph(
    t(
      'Error: alumnos mal ubicados sobre alumnos matriculados (WAPE). Alumnos/clase: error medio por clase. Sesgo: positivo si pronostica de más.',
      'Error: students misplaced over students enrolled (WAPE). Students/class: mean error per class. Bias: positive when it forecasts too many.',
    ),
    { size: 7.5, color: COLORS.muted },
  );

  pdf.heading(t('Error por sede', 'Error per site'));
  pdf.paragraph(s.sites);
  const sites = [...c.sites].sort((a, b) => b.wape - a.wape).slice(0, 16);
  pdf.horizontalBars(
    sites.map((x) => ({ label: `${x.site} (${int(x.actual, locale)} ${t('alumnos', 'students')})`, value: x.wape, color: x.flagged ? COLORS.bad : COLORS.now })),
    (v) => pct(v, locale),
    { value: SITE_FLAG_FACTOR * c.model.backtestWape, label: t(`${one(SITE_FLAG_FACTOR, locale)} × el error general`, `${one(SITE_FLAG_FACTOR, locale)} × overall error`) },
  );

  pdf.heading(t('Intervalos', 'Intervals'));
  pdf.paragraph(s.coverage);

  pdf.heading(t('Cómo le fue de verdad', 'How it really did'));
  pdf.bullets(s.real);

  pdf.heading(t('Límites conocidos', 'Known limits'));
  pdf.bullets(s.limits, { color: () => COLORS.warn });

  pdf.heading(t('Quién lo puso en uso y cuándo', 'Who put it in use, and when'));
  pdf.bullets(s.served);
  if (c.recentChanges.length > 0) {
    pdf.table(
      [
        { header: t('Fecha', 'Date'), width: 0.16 },
        { header: t('Modelo', 'Model'), width: 0.34 },
        { header: t('Cómo', 'How'), width: 0.3 },
        { header: t('Quién', 'Who'), width: 0.2 },
      ],
      c.recentChanges.map((x) => [day(x.at, locale), `${x.modelId} · ${name(x.candidate)}`, HOW[x.how][locale], x.by]),
    );
  }
  return pdf.finish();
}
