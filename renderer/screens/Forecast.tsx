import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { CallError, ForecastResult } from '../../shared/contract';
import type { ForecastFilter } from '../../shared/forecast-view';
import { filterRows } from '../../shared/forecast-view';
import { decimalMark, regionName } from '../../shared/format';
import type { Decision, ForecastOverride, ForecastRow } from '../../shared/reports';
import { api } from '../api';
import { ErrorNote, Progress, SimpleTable, Technical } from '../components/common';
import { ModalForm, RequiredText } from '../components/dialog';
import { classKey, hasCapacity, hasIntervals, ruleText } from '../components/forecast-rules';
import { useEngineValue, useOperation } from '../components/operation';
import { usePrinting } from '../components/print';
import { ReportButton } from '../components/report';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import type { Screen } from '../navigation';

type SortKey = 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL' | 'PREDICT_ALUMNOS' | 'p10' | 'last_students' | 'reason' | 'decision';
/** The table's columns; the capacity, the rule and the planner's own number are read, not sorted on. */
const COLUMNS: { key: SortKey | 'capacity' | 'rule' | 'own'; label: MessageKey; numeric?: boolean }[] = [
  { key: 'SEDE', label: 'forecast.col.site' },
  { key: 'CURSO_ACTUAL', label: 'forecast.col.course' },
  { key: 'HORARIO_ACTUAL', label: 'forecast.col.schedule' },
  { key: 'PREDICT_ALUMNOS', label: 'forecast.col.predicted', numeric: true },
  { key: 'p10', label: 'forecast.col.interval', numeric: true },
  { key: 'last_students', label: 'forecast.col.last', numeric: true },
  { key: 'capacity', label: 'forecast.col.capacity', numeric: true },
  { key: 'reason', label: 'forecast.col.reason' },
  { key: 'decision', label: 'forecast.col.decision' },
  { key: 'rule', label: 'forecast.col.rule' },
  { key: 'own', label: 'forecast.col.own', numeric: true },
];
const columnsOf = (view: RowView) => (view.capacity ? COLUMNS : COLUMNS.filter((c) => c.key !== 'capacity'));
const DECISIONS: Decision[] = ['open', 'review', 'do_not_open'];
const ROW_HEIGHT = 44;

// One collator for every comparison: far cheaper than localeCompare with options, 100k rows at a time.
const collator = new Intl.Collator(undefined, { numeric: true });

function totals(rows: ForecastRow[], key: 'SEDE' | 'CURSO_ACTUAL'): [string, number, number][] {
  const sums = new Map<string, [number, number]>();
  for (const r of rows) {
    const [classes, students] = sums.get(r[key]) ?? [0, 0];
    sums.set(r[key], [classes + 1, students + r.PREDICT_ALUMNOS]);
  }
  return [...sums.entries()].map(([k, [c, s]]) => [k, c, s] as [string, number, number]).sort((a, b) => collator.compare(a[0], b[0]));
}

function distinct(rows: ForecastRow[], key: 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL'): string[] {
  return [...new Set(rows.map((r) => r[key]))].sort(collator.compare);
}

interface Sort {
  key: SortKey;
  descending: boolean;
}

function sorted(rows: readonly ForecastRow[], { key, descending }: Sort): ForecastRow[] {
  const direction = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    return direction * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y)));
  });
}

interface RowView {
  /** Whether the capacity column shows: only where some class has one, since most imports carry none. */
  capacity: boolean;
  own: (r: ForecastRow) => ForecastOverride | undefined;
  rule: (r: ForecastRow) => string;
  onEdit: (r: ForecastRow) => void;
}

/**
 * The table itself, virtualised: only the rows in view are in the page. Its own component, so scrolling
 * re-renders these rows and nothing else of the screen.
 */
const ForecastGrid = memo(function ForecastGrid({ rows, sort, onSort, view }: { rows: ForecastRow[]; sort: Sort; onSort: (key: SortKey) => void; view: RowView }) {
  const { t, int } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  return (
    <div className={view.capacity ? 'grid decisions with-capacity' : 'grid decisions'} role="table" aria-rowcount={rows.length + 1}>
      <div className="grid-row head" role="row">
        {columnsOf(view).map((c) =>
          c.key === 'capacity' || c.key === 'rule' || c.key === 'own' ? (
            <div key={c.key} role="columnheader" className={c.numeric ? 'cell num plain' : 'cell plain'}>
              {t(c.label)}
            </div>
          ) : (
            <div key={c.key} role="columnheader" className={c.numeric ? 'cell num' : 'cell'} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button type="button" onClick={() => onSort(c.key as SortKey)}>
                {t(c.label)} <span aria-hidden="true">{sort.key === c.key ? (sort.descending ? '▼' : '▲') : ''}</span>
              </button>
            </div>
          ),
        )}
      </div>
      <div className="grid-body" ref={scroller} tabIndex={0} role="rowgroup" aria-label={t('forecast.title')}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const r = rows[item.index]!;
            const own = view.own(r);
            const rule = view.rule(r);
            const name = `${r.SEDE} · ${r.CURSO_ACTUAL} · ${r.HORARIO_ACTUAL}`;
            return (
              <div key={item.key} className="grid-row" role="row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <span className="cell" role="cell">{r.SEDE}</span>
                <span className="cell" role="cell">{r.CURSO_ACTUAL}</span>
                <span className="cell" role="cell">{r.HORARIO_ACTUAL}</span>
                <span className="cell num" role="cell">{int(r.PREDICT_ALUMNOS)}</span>
                <span className="cell num" role="cell">{r.p10 === r.p90 ? int(r.p10) : `${int(r.p10)}–${int(r.p90)}`}</span>
                <span className="cell num" role="cell">{int(r.last_students)}</span>
                {view.capacity && <span className="cell num" role="cell">{r.capacity === null ? '' : int(r.capacity)}</span>}
                <span className="cell" role="cell">{t(`forecast.reason.${r.reason}` as MessageKey)}</span>
                <span className="cell decision" role="cell">
                  <span className={`badge ${r.decision}`}>{t(`forecast.decision.${r.decision}` as MessageKey)}</span>
                  {own && <span className="badge changed">{t('forecast.own.changed')}</span>}
                </span>
                <span className="cell rule" role="cell" title={rule || undefined}>
                  {rule}
                </span>
                <span className="cell num own" role="cell">
                  {own ? int(own.students) : ''}{' '}
                  <button type="button" className="link" aria-label={t('forecast.own.editFor', { name })} onClick={() => view.onEdit(r)}>
                    {t('forecast.own.edit')}
                  </button>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});

/** Every row of the filtered table, for paper only: the screen's table shows only the rows in view. */
function PrintTable({ rows, period, filters, view }: { rows: ForecastRow[]; period: string; filters: string; view: RowView }) {
  const { t, int, date } = useI18n();
  return (
    <section className="print-only">
      <h2>{t('forecast.print.title', { period })}</h2>
      <p>{filters}</p>
      <p>{t('forecast.print.printed', { date: date(new Date().toISOString()) })}</p>
      <table className="simple print-table">
        <thead>
          <tr>
            {columnsOf(view).map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {t(c.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const own = view.own(r);
            return (
              <tr key={i}>
                <td>{r.SEDE}</td>
                <td>{r.CURSO_ACTUAL}</td>
                <td>{r.HORARIO_ACTUAL}</td>
                <td className="num">{int(r.PREDICT_ALUMNOS)}</td>
                <td className="num">{`${int(r.p10)}–${int(r.p90)}`}</td>
                <td className="num">{int(r.last_students)}</td>
                {view.capacity && <td className="num">{r.capacity === null ? '' : int(r.capacity)}</td>}
                <td>{t(`forecast.reason.${r.reason}` as MessageKey)}</td>
                <td>{t(`forecast.decision.${r.decision}` as MessageKey)}</td>
                <td className="wrap">{view.rule(r)}</td>
                <td className="num">{own ? int(own.students) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The planner's own number for one class, with why: the model's number and its range are said first, and stay;
 * the note is required (it goes to the exports and the change log).
 */
function OwnNumberDialog({ row, own, busy, error, onSave, onRemove, onCancel }: { row: ForecastRow; own: ForecastOverride | undefined; busy: boolean; error: CallError | null; onSave: (students: number, note: string) => void; onRemove: () => void; onCancel: () => void }) {
  const { t, int } = useI18n();
  const number = useRef<HTMLInputElement>(null);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const [students, setStudents] = useState(String(own?.students ?? row.PREDICT_ALUMNOS));
  const [note, setNote] = useState(own?.note ?? '');
  const [tried, setTried] = useState(false);
  const id = useId();
  const badNumber = !/^\d{1,6}$/.test(students.trim());
  const noNote = note.trim() === '';
  const submit = () => {
    setTried(true);
    if (badNumber) return number.current?.focus();
    if (noNote) return noteField.current?.focus();
    onSave(Number(students.trim()), note.trim());
  };
  const name = `${row.SEDE} · ${row.CURSO_ACTUAL} · ${row.HORARIO_ACTUAL}`;
  return (
    <ModalForm
      id={id}
      title={t('forecast.own.title', { name })}
      body={<p>{t('forecast.own.model', { students: int(row.PREDICT_ALUMNOS), p10: int(row.p10), p90: int(row.p90) })}</p>}
      busy={busy}
      onSubmit={submit}
      onCancel={onCancel}
      onOpen={() => number.current?.select()}
    >
        <label className="stacked">
          {t('forecast.own.students')}
          <input
            ref={number}
            type="text"
            inputMode="numeric"
            value={students}
            aria-invalid={tried && badNumber ? true : undefined}
            aria-describedby={tried && badNumber ? `${id}-number-problem` : undefined}
            onChange={(e) => setStudents(e.target.value)}
          />
          {tried && badNumber && (
            <span id={`${id}-number-problem`} className="field-error">
              {t('forecast.own.invalid')}
            </span>
          )}
        </label>
        <RequiredText id={`${id}-note`} field={noteField} label={t('forecast.own.note')} value={note} onChange={setNote} hint={t('forecast.own.note.hint')} problem={tried && noNote ? t('forecast.own.noteMissing') : null} />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('forecast.own.save')}
          </button>
          {own && (
            <button type="button" className="secondary" disabled={busy} onClick={onRemove}>
              {t('forecast.own.remove')}
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
    </ModalForm>
  );
}

/** An earlier forecast opened from History: its id and when it was made. */
export interface OpenedForecast {
  id: string;
  created_at: string;
}

export function Forecast({ go, opened, onLatest }: { go: (screen: Screen) => void; opened?: OpenedForecast | null; onLatest?: () => void }) {
  const i18n = useI18n();
  const { t, int, pct, signedPct, modelName, period, day, date, region } = i18n;
  const [result, setResult] = useState<ForecastResult | null>(null);
  const [site, setSite] = useState('');
  const [course, setCourse] = useState('');
  const [schedule, setSchedule] = useState('');
  const [decision, setDecision] = useState<Decision | ''>('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'SEDE', descending: false });
  const [chosenDelimiter, setDelimiter] = useState<',' | ';' | null>(null);
  const [scope, setScope] = useState<'shown' | 'all'>('shown');
  const [headers, setHeaders] = useState<'codes' | 'plain'>('codes');
  const [target, setTarget] = useState('');
  const [editing, setEditing] = useState<ForecastRow | null>(null);
  const op = useOperation();
  const status = useEngineValue('status');
  const printing = usePrinting();
  // Where the region writes decimals with a comma, a comma between fields would split them: ";" is offered first.
  const delimiter = chosenDelimiter ?? (decimalMark(region) === ',' ? ';' : ',');
  const forecastId = opened?.id;

  const fail = op.fail;
  const load = useCallback(async () => {
    const r = await api.call('lastForecast', forecastId ? { forecastId } : {});
    if (r.ok) setResult(r.value);
    else fail(r.error);
  }, [forecastId, fail]);
  useEffect(() => void load(), [load]);

  const owns = useMemo(() => new Map((result?.overrides ?? []).map((o) => [`${o.site}\u0000${o.course}\u0000${o.schedule}`, o])), [result]);
  const intervals = useMemo(() => (result ? hasIntervals(result.rows) : false), [result]);
  const view = useMemo<RowView>(
    () => ({
      capacity: result ? hasCapacity(result.rows) : false,
      own: (r) => owns.get(classKey(r)),
      rule: (r) => (result ? ruleText(r, result.settings, owns.get(classKey(r)), intervals, i18n) : ''),
      onEdit: setEditing,
    }),
    [owns, result, intervals, i18n],
  );

  // Sorted once per order; filters then keep that order in one pass, so changing a filter never sorts again.
  const ordered = useMemo(() => (result ? sorted(result.rows, sort) : []), [result, sort]);
  const needle = useDeferredValue(search.trim());
  const filter: ForecastFilter = useMemo(
    () => ({ ...(site ? { site } : {}), ...(course ? { course } : {}), ...(schedule ? { schedule } : {}), ...(needle ? { search: needle } : {}), ...(decision ? { decision } : {}) }),
    [site, course, schedule, needle, decision],
  );
  // The decisions are counted over what the other filters keep, so each count says what clicking it will show.
  const beforeDecision = useMemo(() => filterRows(ordered, { ...filter, decision: undefined }), [ordered, filter]);
  const rows = useMemo(() => (decision ? beforeDecision.filter((r) => r.decision === decision) : beforeDecision), [beforeDecision, decision]);
  const counts = useMemo(() => {
    const c: Record<Decision, number> = { open: 0, review: 0, do_not_open: 0 };
    for (const r of beforeDecision) c[r.decision]++;
    return c;
  }, [beforeDecision]);
  const options = useMemo(
    () => (result ? { site: distinct(result.rows, 'SEDE'), course: distinct(result.rows, 'CURSO_ACTUAL'), schedule: distinct(result.rows, 'HORARIO_ACTUAL') } : null),
    [result],
  );
  const siteTotals = useMemo(() => totals(rows, 'SEDE'), [rows]);
  const courseTotals = useMemo(() => totals(rows, 'CURSO_ACTUAL'), [rows]);
  const shownStudents = useMemo(() => rows.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0), [rows]);
  const onSort = useCallback((key: SortKey) => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false })), []);

  const upcoming = status.value?.data?.upcoming_periods ?? [];
  const next = status.value?.data?.next_period ?? '';
  const run = async () => {
    const wanted = target || next;
    const value = await op.run('forecast', wanted && wanted !== next ? { period: wanted } : {});
    if (value) {
      setResult(value);
      onLatest?.();
    }
    void status.refresh();
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    const file = await op.run('exportForecast', {
      format,
      ...(format === 'csv' ? { delimiter } : {}),
      ...(forecastId ? { forecastId } : {}),
      ...(scope === 'shown' ? { filter: { ...filter, ...(search.trim() ? { search: search.trim() } : {}) } } : {}),
      headers,
      locale: i18n.locale,
    });
    if (!file) return;
    const saved = await api.download(file.exportId, file.fileName);
    if (!saved.ok) op.fail(saved.error);
  };
  const [saving, setSaving] = useState(false);
  const [ownError, setOwnError] = useState<CallError | null>(null);
  const saveOwn = async (row: ForecastRow, students: number | null, note: string) => {
    if (!result) return;
    setSaving(true);
    const done = await api.call('overrideForecast', { forecastId: result.report.forecast_id, site: row.SEDE, course: row.CURSO_ACTUAL, schedule: row.HORARIO_ACTUAL, students, note });
    setSaving(false);
    if (!done.ok) return setOwnError(done.error);
    setOwnError(null);
    setEditing(null);
    await load();
  };

  const serving = status.value?.serving ?? null;
  const noModel = op.error !== null && status.value !== null && !serving && status.value.data !== null;
  const applied = [
    site && `${t('forecast.filter.site')}: ${site}`,
    course && `${t('forecast.filter.course')}: ${course}`,
    schedule && `${t('forecast.filter.schedule')}: ${schedule}`,
    decision && `${t('forecast.col.decision')}: ${t(`forecast.decision.${decision}` as MessageKey)}`,
    search.trim() && t('forecast.print.search', { text: search.trim() }),
  ].filter(Boolean);

  return (
    <div>
      {op.busy ? (
        <Progress progress={op.progress} />
      ) : (
        <div className="actions no-print">
          {upcoming.length > 0 && (
            <label className="inline">
              {t('forecast.period')}
              <select value={target || next} onChange={(e) => setTarget(e.target.value)}>
                {upcoming.map((p) => (
                  <option key={p} value={p}>
                    {period(p)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" onClick={() => void run()}>
            {t('forecast.run')}
          </button>
          {result && (
            <>
              <button type="button" className="secondary" onClick={() => window.print()}>
                {t('common.print')}
              </button>
              <ReportButton />
            </>
          )}
        </div>
      )}
      <ErrorNote error={op.error} />
      {noModel && (
        <div className="actions">
          <button type="button" onClick={() => go('train')}>
            {t('forecast.noModel')}
          </button>
        </div>
      )}
      {opened && status.value?.last_forecast?.forecast_id !== opened.id && (
        <div className="note no-print">
          {t('forecast.viewing', { date: date(opened.created_at) })}{' '}
          <button type="button" className="link" onClick={onLatest}>
            {t('forecast.viewing.latest')}
          </button>
        </div>
      )}
      {result && options && (
        <>
          <p className="summary">{t('forecast.summary', { period: period(result.report.period), classes: result.report.rows, students: result.report.total_students })}</p>
          <p className="muted">
            {!status.value ? '' : serving && serving.model_version === result.report.model_version
              ? t('forecast.model.dated', { date: day(serving.trained_at), model: modelName(result.report.candidate) })
              : t('forecast.model.earlier', { model: modelName(result.report.candidate) })}
            {result.overrides.length > 0 && ` ${t('forecast.own.count', { count: result.overrides.length })}.`}
          </p>
          <p className="muted">
            {result.report.promise.coverage === null
              ? t('forecast.promise.plain', { wape: pct(result.report.promise.wape), bias: signedPct(result.report.promise.bias) })
              : t('forecast.promise', { wape: pct(result.report.promise.wape), bias: signedPct(result.report.promise.bias), coverage: pct(result.report.promise.coverage, 0) })}
          </p>
          {result.report.over_capacity > 0 && <p className="note">{t('forecast.overCapacity', { count: result.report.over_capacity })}</p>}
          {result.report.stale_model && <p className="note bad">{t('forecast.stale')}</p>}
          <div className="decision-filter no-print" role="group" aria-label={t('forecast.decisions')}>
            <span>{t('forecast.decisions')}:</span>
            <button type="button" className="chip" aria-pressed={decision === ''} onClick={() => setDecision('')}>
              {t('forecast.decisions.all', { count: int(beforeDecision.length) })}
            </button>
            {DECISIONS.map((d) => (
              <button key={d} type="button" className={`chip decision-${d}`} aria-pressed={decision === d} onClick={() => setDecision(decision === d ? '' : d)}>
                {t('forecast.decisions.one', { label: t(`forecast.decision.${d}` as MessageKey), count: int(counts[d]) })}
              </button>
            ))}
          </div>
          <div className="filters no-print">
            {(
              [
                ['forecast.filter.site', site, setSite, options.site],
                ['forecast.filter.course', course, setCourse, options.course],
                ['forecast.filter.schedule', schedule, setSchedule, options.schedule],
              ] as const
            ).map(([label, value, set, options]) => (
              <label key={label} className="inline">
                {t(label)}
                <select value={value} onChange={(e) => set(e.target.value)}>
                  <option value="">{t('forecast.filter.all')}</option>
                  {options.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <label className="inline">
              {t('forecast.search')}
              <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
            </label>
          </div>
          <p className="muted" role="status">
            {t('forecast.shown', { shown: int(rows.length), total: result.rows.length, students: shownStudents })}
          </p>
          <ForecastGrid rows={rows} sort={sort} onSort={onSort} view={view} />
          <fieldset className="card export-options no-print">
            <legend>{t('forecast.export.scope')}</legend>
            <label className="inline">
              <input type="radio" name="export-scope" checked={scope === 'shown'} onChange={() => setScope('shown')} />
              {t('forecast.export.shown', { count: rows.length })}
            </label>
            <label className="inline">
              <input type="radio" name="export-scope" checked={scope === 'all'} onChange={() => setScope('all')} />
              {t('forecast.export.everything', { count: result.rows.length })}
            </label>
            {/* Labels beside (not around) these lists: their options name columns, which must not become part of the label. */}
            <span className="inline">
              <label htmlFor="export-headers">{t('forecast.export.headers')}</label>
              <select id="export-headers" value={headers} onChange={(e) => setHeaders(e.target.value as 'codes' | 'plain')}>
                <option value="codes">{t('forecast.export.codes')}</option>
                <option value="plain">{t('forecast.export.plain')}</option>
              </select>
            </span>
            <span className="inline">
              <label htmlFor="export-delimiter">{t('forecast.export.delimiter')}</label>
              <select id="export-delimiter" value={delimiter} aria-describedby={decimalMark(region) === ',' ? 'delimiter-hint' : undefined} onChange={(e) => setDelimiter(e.target.value as ',' | ';')}>
                <option value=",">{t('forecast.export.comma')}</option>
                <option value=";">{t('forecast.export.semicolon')}</option>
              </select>
            </span>
            <button type="button" className="secondary" disabled={op.busy} onClick={() => void exportAs('csv')}>
              {t('forecast.export.csv')}
            </button>
            <button type="button" className="secondary" disabled={op.busy} onClick={() => void exportAs('xlsx')}>
              {t('forecast.export.xlsx')}
            </button>
            {decimalMark(region) === ',' && (
              <p id="delimiter-hint" className="hint">
                {t('forecast.export.delimiter.hint', { region: regionName(region, i18n.locale) })}
              </p>
            )}
          </fieldset>
          {printing && (
            <PrintTable
              rows={rows}
              period={period(result.report.period)}
              filters={applied.length > 0 ? t('forecast.print.filters', { filters: applied.join(' · ') }) : t('forecast.print.noFilters')}
              view={view}
            />
          )}
          <div className="cards">
            <section className="card">
              <h2>{t('forecast.totals.site')}</h2>
              <SimpleTable head={[t('forecast.col.site'), t('history.classes'), t('history.students')]} numeric={[1, 2]} rows={siteTotals.map(([k, c, s]) => [k, int(c), int(s)])} />
            </section>
            <section className="card">
              <h2>{t('forecast.totals.course')}</h2>
              <div className="scroll-y" tabIndex={0} role="region" aria-label={t('forecast.totals.course')}>
                <SimpleTable head={[t('forecast.col.course'), t('history.classes'), t('history.students')]} numeric={[1, 2]} rows={courseTotals.map(([k, c, s]) => [k, int(c), int(s)])} />
              </div>
            </section>
          </div>
          <Technical>
            <p>{t('forecast.technical', { model: result.report.model_version, forecast: result.report.forecast_id })}</p>
            <p>{t('forecast.capacity.none')}</p>
          </Technical>
          {editing && (
            <OwnNumberDialog
              row={editing}
              own={view.own(editing)}
              busy={saving}
              error={ownError}
              onSave={(students, note) => void saveOwn(editing, students, note)}
              onRemove={() => void saveOwn(editing, null, '')}
              onCancel={() => {
                setOwnError(null);
                setEditing(null);
              }}
            />
          )}
        </>
      )}
    </div>
  );
}
