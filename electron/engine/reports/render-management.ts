/**
 * The management report as a PDF of one page, two at most: every figure with a sentence that says what it means
 * for the school, charts where a look says more than a table.
 */
import { SEVERITY_LABELS } from '../../../shared/drift';
import type { Region } from '../../../shared/format';
import type { Locale } from '../../../shared/messages';
import { sameSlotLastYear } from '../domain/periods';
import { reportWords } from './format';
import { COLORS, ReportPdf } from './pdf';
import type { ManagementReport, ReportAlert } from './types';

/** Rows listed before "and N more", so the report keeps to two pages. */
const MAX_RISK_ROWS = 12;
const MAX_CLOSING_ROWS = 10;
const MAX_SITE_ROWS = 14;
const MAX_CHART_SITES = 10;
const MAX_ACCURACY_PERIODS = 8;
const MAX_OWN_ROWS = 10;

const SEVERITY_COLORS: Record<ReportAlert['severity'], string> = { critical: COLORS.bad, high: COLORS.bad, medium: COLORS.warn, low: COLORS.muted };

/** "Alta": a severity as a bullet starts with it. */
function severityWord(severity: ReportAlert['severity'], locale: Locale): string {
  const word = SEVERITY_LABELS[severity][locale];
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The sentences of the report, apart from the drawing, so tests can read them; numbers the region's way. */
export function managementSentences(r: ManagementReport, locale: Locale, region: Region | null = null) {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const { f, P } = reportWords(locale, region, r.notation);
  const say = (es: string, en: string, values: Record<string, string | number>) => f.message(t(es, en), values);
  const { students, classes, atRisk, overMax } = r.totals;
  const min = r.classSizes.min;

  const versus = r.lastYear && r.lastYear.students > 0
    ? say(
        ' ({period}: {students, plural, one {# alumno} other {# alumnos}} en {classes, plural, one {# clase} other {# clases}}, {change})',
        ' ({period}: {students, plural, one {# student} other {# students}} in {classes, plural, one {# class} other {# classes}}, {change})',
        { period: P(r.lastYear.period), students: r.lastYear.students, classes: r.lastYear.classes, change: f.signedPct(students / r.lastYear.students - 1) },
      )
    : '';
  const riskPart = atRisk === 0
    ? say('ninguna clase queda por debajo del mínimo de {min}', 'no class falls below the minimum of {min}', { min })
    : say('{n, plural, one {# clase podría} other {# clases podrían}} no llegar al mínimo de {min}', '{n, plural, one {# class} other {# classes}} may not reach the minimum of {min}', { n: atRisk, min });
  const headline = say(
    '{students, plural, one {Se espera # alumno} other {Se esperan # alumnos}} en {classes, plural, one {# clase} other {# clases}}{versus}; {risk}.',
    '{students, plural, one {# student is} other {# students are}} expected in {classes, plural, one {# class} other {# classes}}{versus}; {risk}.',
    { students, classes, versus, risk: riskPart },
  );

  const top = r.sites[0];
  const changed = r.sites.filter((s) => s.lastYear && s.lastYear.students >= 20 && s.students > 0).map((s) => ({ site: s.site, change: s.students / s.lastYear!.students - 1 }));
  const up = [...changed].sort((a, b) => b.change - a.change)[0];
  const down = [...changed].sort((a, b) => a.change - b.change)[0];
  const closedSites = r.sites.filter((s) => s.students === 0 && s.lastYear).map((s) => s.site);
  let sites = top && students > 0
    ? t(`${top.site} reúne el ${f.pct(top.students / students)} de los alumnos esperados.`, `${top.site} has ${f.pct(top.students / students)} of the students expected.`)
    : '';
  if (r.lastYear && up && down && up.site !== down.site) {
    sites += t(
      ` Frente a ${P(r.lastYear.period)}, la sede que más crece es ${up.site} (${f.signedPct(up.change)}) y la que más cae, ${down.site} (${f.signedPct(down.change)}).`,
      ` Against ${P(r.lastYear.period)}, ${up.site} grows most (${f.signedPct(up.change)}) and ${down.site} falls most (${f.signedPct(down.change)}).`,
    );
  } else if (!r.lastYear) {
    const before = P(sameSlotLastYear(r.period, r.notation.frequency));
    sites += t(` Los datos no llegan a ${before}: no hay con qué comparar.`, ` The data does not reach back to ${before}: there is nothing to compare with.`);
  }
  if (closedSites.length > 0) {
    sites += t(` Sin clases pronosticadas: ${f.list(closedSites, 6)}.`, ` No classes forecast at: ${f.list(closedSites, 6)}.`);
  }

  const basis = r.risk.basis === 'p10'
    ? t('Se compara el escenario bajo de cada clase (p10: solo 1 vez de cada 10 habría menos alumnos) con el mínimo.', 'Each class’s low scenario (p10: only 1 time in 10 would there be fewer students) is compared with the minimum.')
    : t('Se compara el pronóstico de cada clase con el mínimo (el pronóstico aún no trae intervalos; con ellos se usará su extremo bajo).', 'Each class’s forecast is compared with the minimum (the forecast carries no intervals yet; with them, their low end will be used).');
  const ownJudged = r.own
    ? t(' Las clases con número propio de la coordinación se comparan por ese número.', ' Classes with a planner’s own number are compared by that number.')
    : '';
  const near = r.risk.near;
  const nearPart = near === 0
    ? ''
    : say(
        `${near === atRisk ? '{near, plural, one {Está} other {Todas están}}' : 'De ellas, {near, plural, one {# está} other {# están}}'} a {margin, plural, one {# alumno} other {# alumnos}} o menos del mínimo: unas pocas matrículas más {near, plural, one {la salvarían} other {las salvarían}}. `,
        `${near === atRisk ? '{near, plural, one {It is} other {All are}}' : 'Of these, {near, plural, one {# is} other {# are}}'} {margin, plural, one {# student} other {# students}} or fewer short: a few more enrolments would save {near, plural, one {it} other {them}}. `,
        { near, margin: r.risk.margin },
      );
  let risk = atRisk === 0
    ? `${say('Ninguna clase queda por debajo del mínimo de {min} alumnos.', 'No class falls below the minimum of {min} students.', { min })} ${basis}${ownJudged}`
    : say(
        '{n, plural, one {# clase podría no llegar al mínimo de {min} alumnos: conviene juntarla con otra, promocionarla o decidir si abrirla} other {# clases podrían no llegar al mínimo de {min} alumnos: conviene juntarlas, promocionarlas o decidir si abrirlas}}. ',
        '{n, plural, one {# class may not reach the minimum of {min} students: consider merging it, promoting it or deciding whether to open it} other {# classes may not reach the minimum of {min} students: consider merging them, promoting them or deciding whether to open them}}. ',
        { n: atRisk, min },
      ) + nearPart + basis + ownJudged;
  if (overMax > 0) {
    risk += say(
      ' Además, {n, plural, one {# clase superaría el máximo de {max}: podría} other {# clases superarían el máximo de {max}: podrían}} necesitar otra sección.',
      ' Also, {n, plural, one {# class} other {# classes}} would exceed the maximum of {max} and may need another section.',
      { n: overMax, max: r.classSizes.max },
    );
  }

  const closingStudents = r.closing.classes.reduce((a, c) => a + c.students, 0);
  const k = r.closing.classes.length;
  const closing = !r.closing.lastPeriod
    ? t('No hay un periodo anterior con el que comparar.', 'There is no earlier period to compare with.')
    : k === 0
      ? t(`Todas las clases de ${P(r.closing.lastPeriod)} siguen en el pronóstico.`, `Every class of ${P(r.closing.lastPeriod)} is still in the forecast.`)
      : say(
          '{k, plural, one {# clase que funcionó} other {# clases que funcionaron}} en {period} ({students, plural, one {# alumno} other {# alumnos}}) no {k, plural, one {aparece} other {aparecen}} en el pronóstico: se espera que {k, plural, one {cierre} other {cierren}} o que sus alumnos pasen a otro curso.',
          '{k, plural, one {# class} other {# classes}} that ran in {period} ({students, plural, one {# student} other {# students}}) {k, plural, one {is} other {are}} not in the forecast: expected to close, or their students to move on to another course.',
          { k, period: P(r.closing.lastPeriod), students: closingStudents },
        );

  const last = r.accuracy.periods.at(-1);
  const accuracy = last
    ? t(
        `El último pronóstico que ya se puede comparar con la realidad, el de ${P(last.period)}, se equivocó en ${f.pct(last.wape)} de los alumnos; las pruebas prometían ${f.pct(last.expected)}. ${r.accuracy.message.es}`,
        `The latest forecast that can be compared with what happened, for ${P(last.period)}, was off by ${f.pct(last.wape)} of the students; testing had promised ${f.pct(last.expected)}. ${r.accuracy.message.en}`,
      )
    : r.accuracy.message[locale];

  const changes: string[] = [];
  if (r.changes) {
    const c = r.changes;
    const [a, b] = [P(c.from), P(c.to)];
    if (c.newSites.length) changes.push(t(`Sedes nuevas en ${b}: ${f.list(c.newSites, 6)}.`, `New sites in ${b}: ${f.list(c.newSites, 6)}.`));
    if (c.goneSites.length) changes.push(t(`Sedes con clases en ${a} y sin ninguna en ${b}: ${f.list(c.goneSites, 6)}.`, `Sites with classes in ${a} and none in ${b}: ${f.list(c.goneSites, 6)}.`));
    if (c.newCourses.length) changes.push(t(`Cursos que se dictan en ${b} y no en ${a}: ${f.list(c.newCourses, 10)}.`, `Courses taught in ${b} and not in ${a}: ${f.list(c.newCourses, 10)}.`));
    if (c.goneCourses.length) changes.push(t(`Cursos de ${a} que no se dictan en ${b}: ${f.list(c.goneCourses, 10)}.`, `Courses of ${a} not taught in ${b}: ${f.list(c.goneCourses, 10)}.`));
    if (changes.length === 0) changes.push(t(`Entre ${a} y ${b} no aparecieron ni desaparecieron sedes ni cursos.`, `No site or course appeared or vanished between ${a} and ${b}.`));
  } else {
    changes.push(t('Con un solo periodo de datos no hay cambios que mostrar.', 'With a single period of data there are no changes to show.'));
  }

  const stale = r.forecast.staleModel
    ? t(
        'El modelo que hizo este pronóstico se entrenó antes de la última importación: vuelva a entrenar y a pronosticar para que use los datos nuevos.',
        'The model that made this forecast was trained before the latest import: train and forecast again so it uses the new data.',
      )
    : null;

  // Which total the figures are: the model's, with the planners' own numbers said beside it, as the exports do.
  const own = r.own
    ? say(
        'Las cifras de alumnos son las del modelo. La coordinación puso su propio número en {k, plural, one {# clase} other {# clases}}: con {k, plural, one {él} other {ellos}} se esperan {planned, plural, one {# alumno} other {# alumnos}} (el modelo pronostica {students}); esas clases se deciden por ese número.',
        'Student figures are the model’s. Planners set their own number for {k, plural, one {# class} other {# classes}}: with {k, plural, one {it} other {them}}, {planned, plural, one {# student is} other {# students are}} expected (the model forecasts {students}); those classes are decided by that number.',
        { k: r.own.classes.length, planned: r.own.planned, students: f.int(students) },
      )
    : null;

  return { headline, own, sites, risk, closing, accuracy, changes, stale };
}

export async function renderManagementReport(r: ManagementReport, locale: Locale, region: Region | null = null): Promise<Buffer> {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const { f, P } = reportWords(locale, region, r.notation);
  const n = f.int;
  const s = managementSentences(r, locale, region);

  const pdf = new ReportPdf({
    title: t(`Informe de matrícula — ${P(r.period)}`, `Enrolment report — ${P(r.period)}`),
    subject: t('Alumnos y clases esperados, riesgos y precisión del pronóstico', 'Expected students and classes, risks and forecast accuracy'),
    lang: locale,
    date: new Date(r.dataTime),
    footer: t(`Cupo · pronóstico ${r.forecast.id} · datos al ${f.date(r.dataTime)}`, `Cupo · forecast ${r.forecast.id} · data as of ${f.date(r.dataTime)}`),
    pageWord: (page, pages) => t(`Página ${page} de ${pages}`, `Page ${page} of ${pages}`),
  });

  pdf.title(
    t(`Informe de matrícula — ${P(r.period)}`, `Enrolment report — ${P(r.period)}`),
    t(
      `Pronóstico del ${f.date(r.forecast.createdAt)} con el modelo «${f.model(r.forecast.candidate)}» · clases de ${n(r.classSizes.min)} a ${n(r.classSizes.max)} alumnos (Ajustes)`,
      `Forecast of ${f.date(r.forecast.createdAt)} by the model "${f.model(r.forecast.candidate)}" · classes of ${n(r.classSizes.min)} to ${n(r.classSizes.max)} students (Settings)`,
    ),
  );
  pdf.paragraph(s.headline, { bold: true, size: 10.5 });
  if (s.own) pdf.paragraph(s.own);
  if (s.stale) pdf.paragraph(s.stale, { color: COLORS.warn });
  const change = r.lastYear && r.lastYear.students > 0 ? f.signedPct(r.totals.students / r.lastYear.students - 1) : '—';
  pdf.keyFigures([
    { value: n(r.totals.students), label: t('alumnos esperados', 'students expected') },
    { value: n(r.totals.classes), label: t('clases', 'classes') },
    { value: change, label: r.lastYear ? t(`frente a ${P(r.lastYear.period)}`, `against ${P(r.lastYear.period)}`) : t('sin año anterior', 'no year before') },
    { value: n(r.totals.atRisk), label: t(`bajo el mínimo de ${r.classSizes.min}`, `below the minimum of ${r.classSizes.min}`), color: r.totals.atRisk > 0 ? COLORS.warn : COLORS.accent },
    { value: n(r.closing.classes.length), label: t('clases que cerrarían', 'classes closing') },
  ]);

  // Per site.
  pdf.heading(t('Alumnos y clases por sede', 'Students and classes per site'));
  if (s.sites) pdf.paragraph(s.sites);
  const chartSites = r.sites.slice(0, MAX_CHART_SITES);
  pdf.barChart({
    groups: chartSites.map((site) => ({ label: site.site, values: r.lastYear ? [site.students, site.lastYear?.students ?? 0] : [site.students] })),
    series: r.lastYear
      ? [{ name: P(r.period), color: COLORS.now }, { name: P(r.lastYear.period), color: COLORS.before }]
      : [{ name: P(r.period), color: COLORS.now }],
    format: n,
    height: 110,
  });
  if (r.sites.length > MAX_CHART_SITES) pdf.paragraph(t(`El gráfico muestra las ${MAX_CHART_SITES} sedes con más alumnos de ${n(r.sites.length)}.`, `The chart shows the ${MAX_CHART_SITES} sites with most students of ${n(r.sites.length)}.`), { size: 8, color: COLORS.muted });
  const ly = r.lastYear ? P(r.lastYear.period) : t('año anterior', 'year before');
  const siteRows = r.sites.slice(0, MAX_SITE_ROWS);
  const rest = r.sites.slice(MAX_SITE_ROWS);
  // With own numbers, the model's students and the planners' stand side by side (the exports' totals do the same).
  const own = r.own !== null;
  const row = (label: string, st: number, planned: number, cl: number, risk: number, before: { students: number; classes: number } | null) => [
    label,
    n(st),
    ...(own ? [n(planned)] : []),
    n(cl),
    n(risk),
    before ? n(before.students) : '—',
    before ? n(before.classes) : '—',
    before && before.students > 0 ? f.signedPct(st / before.students - 1) : '—',
  ];
  const sum = (list: typeof r.sites) => {
    const before = list.some((x) => x.lastYear) ? { students: list.reduce((a, x) => a + (x.lastYear?.students ?? 0), 0), classes: list.reduce((a, x) => a + (x.lastYear?.classes ?? 0), 0) } : null;
    return row('', list.reduce((a, x) => a + x.students, 0), list.reduce((a, x) => a + x.planned, 0), list.reduce((a, x) => a + x.classes, 0), list.reduce((a, x) => a + x.atRisk, 0), before);
  };
  pdf.table(
    [
      { header: t('Sede', 'Site'), width: own ? 0.18 : 0.25 },
      { header: t('Alumnos', 'Students'), width: own ? 0.1 : 0.11, align: 'right' },
      ...(own ? [{ header: t('Coordinación', 'Per planners'), width: 0.13, align: 'right' as const }] : []),
      { header: t('Clases', 'Classes'), width: own ? 0.08 : 0.1, align: 'right' },
      { header: t('Bajo mínimo', 'Below min.'), width: 0.12, align: 'right' },
      { header: t(`Alumnos ${ly}`, `Students ${ly}`), width: 0.15, align: 'right' },
      { header: t(`Clases ${ly}`, `Classes ${ly}`), width: 0.14, align: 'right' },
      { header: t('Variación', 'Change'), width: own ? 0.1 : 0.13, align: 'right' },
    ],
    [
      ...siteRows.map((x) => row(x.site, x.students, x.planned, x.classes, x.atRisk, x.lastYear)),
      ...(rest.length > 0 ? [[t(`Otras ${n(rest.length)} sedes`, `${n(rest.length)} other sites`), ...sum(rest).slice(1)]] : []),
      [t('Total', 'Total'), ...sum(r.sites).slice(1)],
    ],
    { boldLast: true },
  );

  // Classes at risk.
  pdf.heading(t('Clases que podrían no llegar al mínimo', 'Classes that may not reach the minimum'));
  pdf.paragraph(s.risk);
  if (r.risk.classes.length > 0) {
    const shown = r.risk.classes.slice(0, MAX_RISK_ROWS);
    const p10 = r.risk.basis === 'p10';
    const ownShown = shown.some((c) => c.own !== null);
    // Each extra column takes its width from the three of labels.
    const less = (p10 ? 0.04 : 0) + (ownShown ? 0.04 : 0);
    pdf.table(
      [
        { header: t('Sede', 'Site'), width: 0.28 - less },
        { header: t('Curso', 'Course'), width: 0.26 - less },
        { header: t('Horario', 'Schedule'), width: 0.28 - less },
        { header: t('Pronóstico', 'Forecast'), width: p10 || ownShown ? 0.14 : 0.18, align: 'right' },
        ...(p10 ? [{ header: t('Escenario bajo', 'Low (p10)'), width: 0.14, align: 'right' as const }] : []),
        ...(ownShown ? [{ header: t('Número propio', 'Own number'), width: 0.14, align: 'right' as const }] : []),
      ],
      shown.map((c) => [c.site, c.course, c.schedule, n(c.students), ...(p10 ? [n(c.low)] : []), ...(ownShown ? [c.own === null ? '—' : n(c.own)] : [])]),
    );
    if (r.risk.classes.length > shown.length) {
      pdf.paragraph(t(`… y ${n(r.risk.classes.length - shown.length)} más: la pantalla de pronóstico las lista todas («revisar» / «no abrir»).`, `… and ${n(r.risk.classes.length - shown.length)} more: the forecast screen lists them all ("review" / "do not open").`), { size: 8, color: COLORS.muted });
    }
  }

  // The planners' own numbers.
  if (r.own) {
    pdf.heading(t('Números propios de la coordinación', 'Planners’ own numbers'));
    const shown = r.own.classes.slice(0, MAX_OWN_ROWS);
    pdf.table(
      [
        { header: t('Sede', 'Site'), width: 0.17 },
        { header: t('Curso', 'Course'), width: 0.15 },
        { header: t('Horario', 'Schedule'), width: 0.18 },
        { header: t('Modelo', 'Model'), width: 0.09, align: 'right' },
        { header: t('Propio', 'Own'), width: 0.09, align: 'right' },
        { header: t('Por qué', 'Why'), width: 0.32 },
      ],
      shown.map((c) => [c.site, c.course, c.schedule, n(c.students), n(c.own), c.note]),
    );
    if (r.own.classes.length > shown.length) {
      pdf.paragraph(t(`… y ${n(r.own.classes.length - shown.length)} más: la pantalla de pronóstico las muestra todas.`, `… and ${n(r.own.classes.length - shown.length)} more: the forecast screen shows them all.`), { size: 8, color: COLORS.muted });
    }
  }

  // Classes expected to close.
  pdf.heading(t('Clases que se cerrarían', 'Classes expected to close'));
  pdf.paragraph(s.closing);
  if (r.closing.classes.length > 0 && r.closing.lastPeriod) {
    const shown = [...r.closing.classes].sort((a, b) => b.students - a.students).slice(0, MAX_CLOSING_ROWS);
    pdf.table(
      [
        { header: t('Sede', 'Site'), width: 0.28 },
        { header: t('Curso', 'Course'), width: 0.26 },
        { header: t('Horario', 'Schedule'), width: 0.28 },
        { header: t(`Alumnos ${P(r.closing.lastPeriod)}`, `Students ${P(r.closing.lastPeriod)}`), width: 0.18, align: 'right' },
      ],
      shown.map((c) => [c.site, c.course, c.schedule, n(c.students)]),
    );
    if (r.closing.classes.length > shown.length) {
      pdf.paragraph(t(`… y ${n(r.closing.classes.length - shown.length)} más (se muestran las de más alumnos).`, `… and ${n(r.closing.classes.length - shown.length)} more (those with most students are shown).`), { size: 8, color: COLORS.muted });
    }
  }

  // Accuracy.
  pdf.heading(t('¿Cuánto se equivocó el pronóstico?', 'How far off was the forecast?'));
  pdf.paragraph(s.accuracy);
  if (r.accuracy.periods.length > 0) {
    const periods = r.accuracy.periods.slice(-MAX_ACCURACY_PERIODS);
    pdf.barChart({
      groups: periods.map((p) => ({ label: P(p.period), values: [p.wape, p.expected] })),
      series: [{ name: t('Error real', 'Real error'), color: COLORS.real }, { name: t('Error prometido por las pruebas', 'Error promised by testing'), color: COLORS.promised }],
      format: (v) => f.pct(v),
      height: 90,
    });
  }

  // Alerts.
  pdf.heading(t('Alertas abiertas', 'Open alerts'));
  if (r.alerts.length === 0) pdf.paragraph(t('No hay alertas abiertas que requieran atención.', 'There are no open alerts that need attention.'));
  else {
    pdf.bullets(
      r.alerts.slice(0, 6).map((a) => `${severityWord(a.severity, locale)}: ${a.message[locale]} ${a.action[locale]}`),
      { color: (i) => SEVERITY_COLORS[r.alerts[i]!.severity] },
    );
    if (r.alerts.length > 6) pdf.paragraph(t(`… y ${n(r.alerts.length - 6)} alertas más en la pantalla de alertas.`, `… and ${n(r.alerts.length - 6)} more alerts on the alerts screen.`), { size: 8, color: COLORS.muted });
  }

  // What changed in the data.
  pdf.heading(t('Qué cambió en los datos', 'What changed in the data'));
  pdf.bullets(s.changes);

  return pdf.finish();
}
