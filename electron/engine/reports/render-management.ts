/**
 * The management report as a PDF of one page, two at most: every figure with a sentence that says what it means
 * for the school, charts where a look says more than a table.
 */
import type { Locale } from '../../../shared/messages';
import { modelName } from '../../../shared/model-names';
import { day, int, list, pct, periodForPeople, periodWithCode, plural, sameSlotLastYear, signedPct } from './format';
import { COLORS, ReportPdf } from './pdf';
import type { ManagementReport, ReportAlert } from './types';

/** Rows listed before "and N more", so the report keeps to two pages. */
const MAX_RISK_ROWS = 12;
const MAX_CLOSING_ROWS = 10;
const MAX_SITE_ROWS = 14;
const MAX_CHART_SITES = 10;
const MAX_ACCURACY_PERIODS = 8;

const SEVERITY: Record<ReportAlert['severity'], { es: string; en: string; color: string }> = {
  critical: { es: 'Crítica', en: 'Critical', color: COLORS.bad },
  high: { es: 'Alta', en: 'High', color: COLORS.bad },
  medium: { es: 'Media', en: 'Medium', color: COLORS.warn },
  low: { es: 'Baja', en: 'Low', color: COLORS.muted },
};

/** The sentences of the report, apart from the drawing, so tests can read them. */
export function managementSentences(r: ManagementReport, locale: Locale) {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const P = (period: string) => periodForPeople(period, r.notation, locale);
  const n = (x: number) => int(x, locale);
  const { students, classes, atRisk, overMax } = r.totals;
  const min = r.classSizes.min;
  const classesWord = (k: number) => t(plural(k, 'clase', 'clases'), plural(k, 'class', 'classes'));

  const versus = r.lastYear && r.lastYear.students > 0
    ? t(
        ` (${P(r.lastYear.period)}: ${n(r.lastYear.students)} alumnos en ${n(r.lastYear.classes)} clases, ${signedPct(students / r.lastYear.students - 1, locale)})`,
        ` (${P(r.lastYear.period)}: ${n(r.lastYear.students)} students in ${n(r.lastYear.classes)} classes, ${signedPct(students / r.lastYear.students - 1, locale)})`,
      )
    : '';
  const riskPart = atRisk === 0
    ? t(`ninguna clase queda por debajo del mínimo de ${min}`, `no class falls below the minimum of ${min}`)
    : t(`${n(atRisk)} ${classesWord(atRisk)} ${atRisk === 1 ? 'podría' : 'podrían'} no llegar al mínimo de ${min}`, `${n(atRisk)} ${classesWord(atRisk)} may not reach the minimum of ${min}`);
  const headline = t(`Se esperan ${n(students)} alumnos en ${n(classes)} clases${versus}; ${riskPart}.`, `${n(students)} students are expected in ${n(classes)} classes${versus}; ${riskPart}.`);

  const top = r.sites[0];
  const changed = r.sites.filter((s) => s.lastYear && s.lastYear.students >= 20 && s.students > 0).map((s) => ({ site: s.site, change: s.students / s.lastYear!.students - 1 }));
  const up = [...changed].sort((a, b) => b.change - a.change)[0];
  const down = [...changed].sort((a, b) => a.change - b.change)[0];
  const closedSites = r.sites.filter((s) => s.students === 0 && s.lastYear).map((s) => s.site);
  let sites = top && students > 0
    ? t(`${top.site} reúne el ${pct(top.students / students, locale)} de los alumnos esperados.`, `${top.site} has ${pct(top.students / students, locale)} of the students expected.`)
    : '';
  if (r.lastYear && up && down && up.site !== down.site) {
    sites += t(
      ` Frente a ${P(r.lastYear.period)}, la sede que más crece es ${up.site} (${signedPct(up.change, locale)}) y la que más cae, ${down.site} (${signedPct(down.change, locale)}).`,
      ` Against ${P(r.lastYear.period)}, ${up.site} grows most (${signedPct(up.change, locale)}) and ${down.site} falls most (${signedPct(down.change, locale)}).`,
    );
  } else if (!r.lastYear) {
    const before = P(sameSlotLastYear(r.period, r.notation.frequency));
    sites += t(` Los datos no llegan a ${before}: no hay con qué comparar.`, ` The data does not reach back to ${before}: there is nothing to compare with.`);
  }
  if (closedSites.length > 0) {
    sites += t(` Sin clases pronosticadas: ${list(closedSites, locale)}.`, ` No classes forecast at: ${list(closedSites, locale)}.`);
  }

  const basis = r.risk.basis === 'p10'
    ? t('Se compara el escenario bajo de cada clase (p10: solo 1 vez de cada 10 habría menos alumnos) con el mínimo.', 'Each class’s low scenario (p10: only 1 time in 10 would there be fewer students) is compared with the minimum.')
    : t('Se compara el pronóstico de cada clase con el mínimo (el pronóstico aún no trae intervalos; con ellos se usará su extremo bajo).', 'Each class’s forecast is compared with the minimum (the forecast carries no intervals yet; with them, their low end will be used).');
  const near = r.risk.near;
  const nearPart = near > 0
    ? {
        es: `${near === atRisk ? (atRisk === 1 ? 'Está' : 'Todas están') : `De ellas, ${n(near)} ${near === 1 ? 'está' : 'están'}`} a ${r.risk.margin} ${r.risk.margin === 1 ? 'alumno' : 'alumnos'} o menos del mínimo: unas pocas matrículas más ${near === 1 ? 'la salvarían' : 'las salvarían'}. `,
        en: `${near === atRisk ? (atRisk === 1 ? 'It is' : 'All are') : `Of these, ${n(near)} ${near === 1 ? 'is' : 'are'}`} ${r.risk.margin} ${r.risk.margin === 1 ? 'student' : 'students'} or fewer short: a few more enrolments would save ${near === 1 ? 'it' : 'them'}. `,
      }
    : { es: '', en: '' };
  let risk = atRisk === 0
    ? t(`Ninguna clase queda por debajo del mínimo de ${min} alumnos. ${basis}`, `No class falls below the minimum of ${min} students. ${basis}`)
    : t(
        `${n(atRisk)} ${classesWord(atRisk)} ${atRisk === 1 ? 'podría' : 'podrían'} no llegar al mínimo de ${min} alumnos: conviene juntarlas, promocionarlas o decidir si abrirlas. ${nearPart.es}${basis}`,
        `${n(atRisk)} ${classesWord(atRisk)} may not reach the minimum of ${min} students: consider merging them, promoting them or deciding whether to open them. ${nearPart.en}${basis}`,
      );
  if (overMax > 0) {
    risk += t(
      ` Además, ${n(overMax)} ${classesWord(overMax)} ${overMax === 1 ? 'superaría' : 'superarían'} el máximo de ${r.classSizes.max}: ${overMax === 1 ? 'podría' : 'podrían'} necesitar otra sección.`,
      ` Also, ${n(overMax)} ${classesWord(overMax)} would exceed the maximum of ${r.classSizes.max} and may need another section.`,
    );
  }

  const closingStudents = r.closing.classes.reduce((a, c) => a + c.students, 0);
  const k = r.closing.classes.length;
  const closing = !r.closing.lastPeriod
    ? t('No hay un periodo anterior con el que comparar.', 'There is no earlier period to compare with.')
    : k === 0
      ? t(`Todas las clases de ${P(r.closing.lastPeriod)} siguen en el pronóstico.`, `Every class of ${P(r.closing.lastPeriod)} is still in the forecast.`)
      : t(
          `${n(k)} ${classesWord(k)} que ${k === 1 ? 'funcionó' : 'funcionaron'} en ${P(r.closing.lastPeriod)} (${n(closingStudents)} alumnos) no ${k === 1 ? 'aparece' : 'aparecen'} en el pronóstico: se espera que ${k === 1 ? 'cierre' : 'cierren'} o que sus alumnos pasen a otro curso.`,
          `${n(k)} ${classesWord(k)} that ran in ${P(r.closing.lastPeriod)} (${n(closingStudents)} students) ${k === 1 ? 'is' : 'are'} not in the forecast: expected to close, or their students to move on to another course.`,
        );

  const last = r.accuracy.periods.at(-1);
  const accuracy = last
    ? t(
        `El último pronóstico que ya se puede comparar con la realidad, el de ${P(last.period)}, se equivocó en ${pct(last.wape, locale)} de los alumnos; las pruebas prometían ${pct(last.expected, locale)}. ${r.accuracy.message.es}`,
        `The latest forecast that can be compared with what happened, for ${P(last.period)}, was off by ${pct(last.wape, locale)} of the students; testing had promised ${pct(last.expected, locale)}. ${r.accuracy.message.en}`,
      )
    : r.accuracy.message[locale];

  const changes: string[] = [];
  if (r.changes) {
    const c = r.changes;
    const [a, b] = [P(c.from), P(c.to)];
    if (c.newSites.length) changes.push(t(`Sedes nuevas en ${b}: ${list(c.newSites, locale)}.`, `New sites in ${b}: ${list(c.newSites, locale)}.`));
    if (c.goneSites.length) changes.push(t(`Sedes con clases en ${a} y sin ninguna en ${b}: ${list(c.goneSites, locale)}.`, `Sites with classes in ${a} and none in ${b}: ${list(c.goneSites, locale)}.`));
    if (c.newCourses.length) changes.push(t(`Cursos que se dictan en ${b} y no en ${a}: ${list(c.newCourses, locale, 10)}.`, `Courses taught in ${b} and not in ${a}: ${list(c.newCourses, locale, 10)}.`));
    if (c.goneCourses.length) changes.push(t(`Cursos de ${a} que no se dictan en ${b}: ${list(c.goneCourses, locale, 10)}.`, `Courses of ${a} not taught in ${b}: ${list(c.goneCourses, locale, 10)}.`));
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

  return { headline, sites, risk, closing, accuracy, changes, stale };
}

export async function renderManagementReport(r: ManagementReport, locale: Locale): Promise<Buffer> {
  const t = (es: string, en: string) => (locale === 'es' ? es : en);
  const P = (period: string) => periodForPeople(period, r.notation, locale);
  const n = (x: number) => int(x, locale);
  const s = managementSentences(r, locale);
  const model = modelName(r.forecast.candidate)[locale];

  const pdf = new ReportPdf({
    title: t(`Informe de matrícula — ${P(r.period)}`, `Enrolment report — ${P(r.period)}`),
    subject: t('Alumnos y clases esperados, riesgos y precisión del pronóstico', 'Expected students and classes, risks and forecast accuracy'),
    lang: locale,
    date: new Date(r.dataTime),
    footer: t(`Cupo · pronóstico ${r.forecast.id} · datos al ${day(r.dataTime, locale)}`, `Cupo · forecast ${r.forecast.id} · data as of ${day(r.dataTime, locale)}`),
    pageWord: (page, pages) => t(`Página ${page} de ${pages}`, `Page ${page} of ${pages}`),
  });

  pdf.title(
    t(`Informe de matrícula — ${periodWithCode(r.period, r.notation, locale)}`, `Enrolment report — ${periodWithCode(r.period, r.notation, locale)}`),
    t(
      `Pronóstico del ${day(r.forecast.createdAt, locale)} con el modelo ${r.forecast.modelId} («${model}») · clases de ${r.classSizes.min} a ${r.classSizes.max} alumnos (Ajustes)`,
      `Forecast of ${day(r.forecast.createdAt, locale)} by model ${r.forecast.modelId} ("${model}") · classes of ${r.classSizes.min} to ${r.classSizes.max} students (Settings)`,
    ),
  );
  pdf.paragraph(s.headline, { bold: true, size: 10.5 });
  if (s.stale) pdf.paragraph(s.stale, { color: COLORS.warn });
  const change = r.lastYear && r.lastYear.students > 0 ? signedPct(r.totals.students / r.lastYear.students - 1, locale) : '—';
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
  if (r.sites.length > MAX_CHART_SITES) pdf.paragraph(t(`El gráfico muestra las ${MAX_CHART_SITES} sedes con más alumnos de ${r.sites.length}.`, `The chart shows the ${MAX_CHART_SITES} sites with most students of ${r.sites.length}.`), { size: 8, color: COLORS.muted });
  const ly = r.lastYear ? P(r.lastYear.period) : t('año anterior', 'year before');
  const siteRows = r.sites.slice(0, MAX_SITE_ROWS);
  const rest = r.sites.slice(MAX_SITE_ROWS);
  const row = (label: string, st: number, cl: number, risk: number, before: { students: number; classes: number } | null) => [
    label,
    n(st),
    n(cl),
    n(risk),
    before ? n(before.students) : '—',
    before ? n(before.classes) : '—',
    before && before.students > 0 ? signedPct(st / before.students - 1, locale) : '—',
  ];
  const sum = (list: typeof r.sites) => {
    const before = list.some((x) => x.lastYear) ? { students: list.reduce((a, x) => a + (x.lastYear?.students ?? 0), 0), classes: list.reduce((a, x) => a + (x.lastYear?.classes ?? 0), 0) } : null;
    return row('', list.reduce((a, x) => a + x.students, 0), list.reduce((a, x) => a + x.classes, 0), list.reduce((a, x) => a + x.atRisk, 0), before);
  };
  pdf.table(
    [
      { header: t('Sede', 'Site'), width: 0.25 },
      { header: t('Alumnos', 'Students'), width: 0.11, align: 'right' },
      { header: t('Clases', 'Classes'), width: 0.1, align: 'right' },
      { header: t('Bajo mínimo', 'Below min.'), width: 0.12, align: 'right' },
      { header: t(`Alumnos ${ly}`, `Students ${ly}`), width: 0.15, align: 'right' },
      { header: t(`Clases ${ly}`, `Classes ${ly}`), width: 0.14, align: 'right' },
      { header: t('Variación', 'Change'), width: 0.13, align: 'right' },
    ],
    [
      ...siteRows.map((x) => row(x.site, x.students, x.classes, x.atRisk, x.lastYear)),
      ...(rest.length > 0 ? [[t(`Otras ${rest.length} sedes`, `${rest.length} other sites`), ...sum(rest).slice(1)]] : []),
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
    pdf.table(
      [
        { header: t('Sede', 'Site'), width: p10 ? 0.24 : 0.28 },
        { header: t('Curso', 'Course'), width: p10 ? 0.22 : 0.26 },
        { header: t('Horario', 'Schedule'), width: p10 ? 0.26 : 0.28 },
        { header: t('Pronóstico', 'Forecast'), width: p10 ? 0.14 : 0.18, align: 'right' },
        ...(p10 ? [{ header: t('Escenario bajo', 'Low (p10)'), width: 0.14, align: 'right' as const }] : []),
      ],
      shown.map((c) => [c.site, c.course, c.schedule, n(c.students), ...(p10 ? [n(c.low)] : [])]),
    );
    if (r.risk.classes.length > shown.length) {
      pdf.paragraph(t(`… y ${n(r.risk.classes.length - shown.length)} más: la pantalla de pronóstico las lista todas («revisar» / «no abrir»).`, `… and ${n(r.risk.classes.length - shown.length)} more: the forecast screen lists them all ("review" / "do not open").`), { size: 8, color: COLORS.muted });
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
      format: (v) => pct(v, locale),
      height: 90,
    });
  }

  // Alerts.
  pdf.heading(t('Alertas abiertas', 'Open alerts'));
  if (r.alerts.length === 0) pdf.paragraph(t('No hay alertas abiertas que requieran atención.', 'There are no open alerts that need attention.'));
  else {
    pdf.bullets(
      r.alerts.slice(0, 6).map((a) => `${SEVERITY[a.severity][locale]}: ${a.message[locale]} ${a.action[locale]}`),
      { color: (i) => SEVERITY[r.alerts[i]!.severity].color },
    );
    if (r.alerts.length > 6) pdf.paragraph(t(`… y ${r.alerts.length - 6} alertas más en la pantalla de alertas.`, `… and ${r.alerts.length - 6} more alerts on the alerts screen.`), { size: 8, color: COLORS.muted });
  }

  // What changed in the data.
  pdf.heading(t('Qué cambió en los datos', 'What changed in the data'));
  pdf.bullets(s.changes);

  return pdf.finish();
}
