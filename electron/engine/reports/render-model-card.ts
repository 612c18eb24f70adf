/**
 * The model card as a PDF: for whoever has to trust (or question) the forecast — what the model learned from,
 * what it was chosen over, where it does worse, what it cannot know, and who put it in service.
 */
import type { Region } from '../../../shared/format';
import type { Locale } from '../../../shared/messages';
import type { ChampionChange } from '../../../shared/reports';
import { reportWords } from './format';
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

/** The sentences of the card, apart from the drawing, so tests can read them; numbers the region's way. */
export function modelCardSentences(c: ModelCard, locale: Locale, region: Region | null = null) {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const { f, P } = reportWords(locale, region, c.notation);
  const n = f.int;
  const pct = (x: number) => f.pct(x);
  const name = (candidate: string) => f.model(candidate);
  const tested = c.run.backtestPeriods.map(P);

  const headline = f.message(
    t(
      'En las pruebas sobre {n, plural, one {# periodo ya ocurrido} other {# periodos ya ocurridos}} ({periods}), este modelo se equivocó en {wape} de los alumnos: de cada 100 alumnos matriculados, unos {wrong} quedaron mal pronosticados.',
      'Tested on {n, plural, one {# period that already happened} other {# periods that already happened}} ({periods}), this model was off by {wape} of the students: of every 100 students enrolled, about {wrong} were forecast wrongly.',
    ),
    { n: tested.length, periods: f.list(tested, 6), wape: pct(c.model.backtestWape), wrong: Math.round(c.model.backtestWape * 100) },
  );

  const d = c.data;
  const data = [
    t(
      `${n(d.periods.length)} periodos, de ${P(d.periods[0]!)} a ${P(d.periods.at(-1)!)}: ${n(d.sites)} sedes, ${n(d.courses)} cursos, ${n(d.classes)} clases y ${n(d.students)} matrículas.`,
      `${n(d.periods.length)} periods, ${P(d.periods[0]!)} to ${P(d.periods.at(-1)!)}: ${n(d.sites)} sites, ${n(d.courses)} courses, ${n(d.classes)} classes and ${n(d.students)} enrolments.`,
    ),
    t(
      `Importaciones: ${f.list(d.snapshots.map((s) => `${s.file} (${s.id}, ${f.date(s.importedAt)})`), 8)}.`,
      `Imports: ${f.list(d.snapshots.map((s) => `${s.file} (${s.id}, ${f.date(s.importedAt)})`), 8)}.`,
    ),
    t(
      `Versiones: modelo ${c.model.id}, datos ${d.platinumVersion}, variables ${d.featuresVersion}, objetivo ${d.targetVersion}; entrenamiento ${c.run.id}${c.model.seed !== null ? `, semilla ${c.model.seed}` : ''}. Los mismos datos y la misma semilla dan el mismo modelo.`,
      `Versions: model ${c.model.id}, data ${d.platinumVersion}, features ${d.featuresVersion}, target ${d.targetVersion}; training run ${c.run.id}${c.model.seed !== null ? `, seed ${c.model.seed}` : ''}. The same data and seed give the same model.`,
    ),
  ];

  const best = c.candidates[0];
  const simple = c.candidates.find((x) => x.candidate === 'last_value');
  let candidates = best
    ? t(
        `Se probaron ${c.candidates.length} modelos con los mismos periodos; el de menor error fue «${name(best.candidate)}» (${pct(best.wape)}).`,
        `${c.candidates.length} models were tested on the same periods; the one with the lowest error was "${name(best.candidate)}" (${pct(best.wape)}).`,
      )
    : t('No hay resultados de las pruebas.', 'There are no test results.');
  if (simple && simple.candidate !== c.model.candidate) {
    candidates += t(
      ` La regla más simple, «${name('last_value')}», se equivocó en ${pct(simple.wape)}.`,
      ` The simplest rule, "${name('last_value')}", was off by ${pct(simple.wape)}.`,
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
        `${f.list(flagged.map((s) => `${s.site} (${pct(s.wape)})`), 6)} ${flagged.length === 1 ? 'sale' : 'salen'} mucho peor que el conjunto: más de ${f.one(SITE_FLAG_FACTOR)} veces el error general de ${pct(c.model.backtestWape)}. Revise sus pronósticos con más cuidado.`,
        `${f.list(flagged.map((s) => `${s.site} (${pct(s.wape)})`), 6)} ${flagged.length === 1 ? 'is' : 'are'} served much worse than the whole: more than ${f.one(SITE_FLAG_FACTOR)} times the overall error of ${pct(c.model.backtestWape)}. Check their forecasts more carefully.`,
      )
    : t(
        `Ninguna sede sale mucho peor que el conjunto: todas quedan por debajo de ${f.one(SITE_FLAG_FACTOR)} veces el error general de ${pct(c.model.backtestWape)}.`,
        `No site is served much worse than the whole: all stay under ${f.one(SITE_FLAG_FACTOR)} times the overall error of ${pct(c.model.backtestWape)}.`,
      );

  const coverage = c.coverage
    ? t(
        `Los intervalos deberían contener la realidad el ${pct(c.coverage.nominal)} de las veces; en las pruebas la contuvieron el ${pct(c.coverage.observed)}.`,
        `The intervals should hold what happens ${pct(c.coverage.nominal)} of the time; in testing they held it ${pct(c.coverage.observed)}.`,
      )
    : t(
        'Su entrenamiento es anterior a que se guardara la cobertura de los rangos: vuelva a entrenar para medirla.',
        'It was trained before the coverage of its ranges was kept: train again to measure it.',
      );

  const real = c.real.length > 0
    ? c.real.map((r) => t(`${P(r.period)}: se equivocó en ${pct(r.wape)} (las pruebas prometían ${pct(r.expected)}).`, `${P(r.period)}: off by ${pct(r.wape)} (testing promised ${pct(r.expected)}).`))
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
    limits.push(f.message(
      t(
        'Se probó en solo {n, plural, one {# periodo} other {# periodos}}: su error real puede alejarse del de las pruebas.',
        'It was tested on only {n, plural, one {# period} other {# periods}}: its real error may differ from the tested one.',
      ),
      { n: c.run.backtestPeriods.length },
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
      ? t(`En las pruebas tendió a pronosticar de más (${f.signedPct(best.bias)} en total).`, `In testing it tended to forecast too many (${f.signedPct(best.bias)} overall).`)
      : t(`En las pruebas tendió a pronosticar de menos (${f.signedPct(best.bias)} en total).`, `In testing it tended to forecast too few (${f.signedPct(best.bias)} overall).`));
  }

  const served = c.tenures.length > 0
    ? c.tenures.map((s) => t(
        `${s.to ? `Del ${f.date(s.from)} al ${f.date(s.to)}` : `Desde el ${f.date(s.from)}`}: ${HOW[s.how].es}, por ${s.by}. Motivo: ${s.reason.es}`,
        `${s.to ? `From ${f.date(s.from)} to ${f.date(s.to)}` : `Since ${f.date(s.from)}`}: ${HOW[s.how].en}, by ${s.by}. Reason: ${s.reason.en}`,
      ))
    : [t('Nunca estuvo en uso.', 'It has never been in use.')];

  return { headline, data, candidates, sites, coverage, real, limits, served };
}

export async function renderModelCard(c: ModelCard, locale: Locale, region: Region | null = null): Promise<Buffer> {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const { f, P } = reportWords(locale, region, c.notation);
  const s = modelCardSentences(c, locale, region);
  const pct = (x: number) => f.pct(x);
  const name = (candidate: string) => f.model(candidate);
  const version = f.model(c.model.candidate, c.model.createdAt);

  const pdf = new ReportPdf({
    title: t(`Ficha del modelo: ${version}`, `Model card: ${version}`),
    subject: t('Con qué datos aprendió, contra qué se comparó, dónde falla y quién lo puso en uso', 'What it learned from, what it was compared with, where it fails and who put it in use'),
    lang: locale,
    date: new Date(c.dataTime),
    footer: t(`Cupo · ficha del modelo ${c.model.id} · entrenamiento ${c.run.id}`, `Cupo · model card ${c.model.id} · training run ${c.run.id}`),
    pageWord: (page, pages) => t(`Página ${page} de ${pages}`, `Page ${page} of ${pages}`),
  });
  pdf.title(
    t(`Ficha del modelo: ${version}`, `Model card: ${version}`),
    t(
      `Entrenado el ${f.date(c.model.createdAt)} · ${STATUS[c.model.status]?.es ?? c.model.status} · error en las pruebas ${pct(c.model.backtestWape)}`,
      `Trained ${f.date(c.model.createdAt)} · ${STATUS[c.model.status]?.en ?? c.model.status} · tested error ${pct(c.model.backtestWape)}`,
    ),
  );
  pdf.paragraph(s.headline, { bold: true, size: 10.5 });

  pdf.heading(t('Con qué datos aprendió', 'The data it learned from'));
  pdf.bullets(s.data);

  pdf.heading(t('Modelos comparados y resultados de las pruebas', 'Candidates and their test results'));
  pdf.paragraph(s.candidates);
  pdf.horizontalBars(
    c.candidates.map((x) => ({ label: name(x.candidate), value: x.wape, color: x.chosen ? COLORS.now : COLORS.before })),
    (v) => pct(v),
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
      ...x.perPeriod.slice(offset).map((w) => (w === null ? '—' : pct(w))),
      pct(x.wape),
      f.one(x.mae),
      f.signedPct(x.bias),
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
    sites.map((x) => ({ label: `${x.site} (${f.int(x.actual)} ${t('alumnos', 'students')})`, value: x.wape, color: x.flagged ? COLORS.bad : COLORS.now })),
    (v) => pct(v),
    { value: SITE_FLAG_FACTOR * c.model.backtestWape, label: t(`${f.one(SITE_FLAG_FACTOR)} × el error general`, `${f.one(SITE_FLAG_FACTOR)} × overall error`) },
  );

  pdf.heading(t('Lo que prometió, periodo por periodo', 'What it promised, period by period'));
  pdf.paragraph(s.coverage);
  const missing = (x: number | null, show: (v: number) => string) => (x === null ? '—' : show(x));
  pdf.table(
    [
      { header: t('Periodo de prueba', 'Test period'), width: 0.24 },
      { header: t('Error por clase', 'Error per class'), width: 0.19, align: 'right' },
      { header: t('Error por curso y sede', 'Error per course and site'), width: 0.21, align: 'right' },
      { header: t('Sesgo', 'Bias'), width: 0.14, align: 'right' },
      { header: t('Dentro del rango', 'Inside the range'), width: 0.22, align: 'right' },
    ],
    c.folds.map((x) => [P(x.period), pct(x.wape), missing(x.course_wape, pct), f.signedPct(x.bias), missing(x.coverage, pct)]),
  );
  pdf.paragraph(
    t(
      'Cada periodo se pronosticó solo con lo que se sabía antes de él. Sesgo: positivo si pronosticó de más. Dentro del rango: clases cuya matrícula real cayó en su rango probable del 80 %.',
      'Each period was forecast only from what was known before it. Bias: positive when it forecast too many. Inside the range: classes whose real enrolment fell in their 80 % likely range.',
    ),
    { size: 7.5, color: COLORS.muted },
  );

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
      c.recentChanges.map((x) => [f.date(x.at), f.model(x.candidate, x.createdAt ?? undefined), HOW[x.how][locale], x.by]),
    );
  }
  return pdf.finish();
}
