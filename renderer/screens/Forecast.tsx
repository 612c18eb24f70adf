import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { ForecastResult } from '../../shared/contract';
import type { ForecastRow } from '../../shared/reports';
import { api } from '../api';
import { ErrorNote, Progress, SimpleTable, Technical } from '../components/common';
import { useEngineValue, useOperation } from '../components/operation';
import { usePrinting } from '../components/print';
import { ReportButton } from '../components/report';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import type { Screen } from '../navigation';

type SortKey = 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL' | 'PREDICT_ALUMNOS' | 'last_students' | 'decision';
const COLUMNS: { key: SortKey; label: MessageKey; numeric?: boolean }[] = [
  { key: 'SEDE', label: 'forecast.col.site' },
  { key: 'CURSO_ACTUAL', label: 'forecast.col.course' },
  { key: 'HORARIO_ACTUAL', label: 'forecast.col.schedule' },
  { key: 'PREDICT_ALUMNOS', label: 'forecast.col.predicted', numeric: true },
  { key: 'last_students', label: 'forecast.col.last', numeric: true },
  { key: 'decision', label: 'forecast.col.decision' },
];
const ROW_HEIGHT = 34;

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

/**
 * The table itself, virtualised: only the rows in view are in the page. Its own component, so scrolling
 * re-renders these rows and nothing else of the screen.
 */
const ForecastGrid = memo(function ForecastGrid({ rows, sort, onSort }: { rows: ForecastRow[]; sort: Sort; onSort: (key: SortKey) => void }) {
  const { t, int } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  return (
    <div className="grid" role="table" aria-rowcount={rows.length + 1}>
      <div className="grid-row head" role="row">
        {COLUMNS.map((c) => (
          <div key={c.key} role="columnheader" className={c.numeric ? 'cell num' : 'cell'} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" onClick={() => onSort(c.key)}>
              {t(c.label)} <span aria-hidden="true">{sort.key === c.key ? (sort.descending ? '▼' : '▲') : ''}</span>
            </button>
          </div>
        ))}
      </div>
      <div className="grid-body" ref={scroller} tabIndex={0} role="rowgroup" aria-label={t('forecast.title')}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const r = rows[item.index]!;
            return (
              <div key={item.key} className="grid-row" role="row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <span className="cell" role="cell">{r.SEDE}</span>
                <span className="cell" role="cell">{r.CURSO_ACTUAL}</span>
                <span className="cell" role="cell">{r.HORARIO_ACTUAL}</span>
                <span className="cell num" role="cell">{int(r.PREDICT_ALUMNOS)}</span>
                <span className="cell num" role="cell">{int(r.last_students)}</span>
                <span className="cell" role="cell">
                  <span className={`badge ${r.decision}`}>{t(`forecast.decision.${r.decision}` as MessageKey)}</span>
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
function PrintTable({ rows, period, filters }: { rows: ForecastRow[]; period: string; filters: string }) {
  const { t, int, date } = useI18n();
  return (
    <section className="print-only">
      <h2>{t('forecast.print.title', { period })}</h2>
      <p>{filters}</p>
      <p>{t('forecast.print.printed', { date: date(new Date().toISOString()) })}</p>
      <table className="simple print-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {t(c.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>{r.SEDE}</td>
              <td>{r.CURSO_ACTUAL}</td>
              <td>{r.HORARIO_ACTUAL}</td>
              <td className="num">{int(r.PREDICT_ALUMNOS)}</td>
              <td className="num">{int(r.last_students)}</td>
              <td>{t(`forecast.decision.${r.decision}` as MessageKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Forecast({ go }: { go: (screen: Screen) => void }) {
  const { t, int, modelName, period, day } = useI18n();
  const [result, setResult] = useState<ForecastResult | null>(null);
  const [site, setSite] = useState('');
  const [course, setCourse] = useState('');
  const [schedule, setSchedule] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'SEDE', descending: false });
  const [delimiter, setDelimiter] = useState<',' | ';'>(',');
  const op = useOperation();
  const status = useEngineValue('status');
  const printing = usePrinting();

  useEffect(() => {
    void api.call('lastForecast', {}).then((r) => r.ok && r.value && setResult(r.value));
  }, []);

  // Sorted once per order; filters then keep that order in one pass, so changing a filter never sorts again.
  const ordered = useMemo(() => (result ? sorted(result.rows, sort) : []), [result, sort]);
  const needle = useDeferredValue(search.trim().toLocaleLowerCase());
  const rows = useMemo(
    () =>
      ordered.filter(
        (r) =>
          (!site || r.SEDE === site) &&
          (!course || r.CURSO_ACTUAL === course) &&
          (!schedule || r.HORARIO_ACTUAL === schedule) &&
          (!needle || `${r.SEDE} ${r.CURSO_ACTUAL} ${r.HORARIO_ACTUAL}`.toLocaleLowerCase().includes(needle)),
      ),
    [ordered, site, course, schedule, needle],
  );
  const options = useMemo(
    () => (result ? { site: distinct(result.rows, 'SEDE'), course: distinct(result.rows, 'CURSO_ACTUAL'), schedule: distinct(result.rows, 'HORARIO_ACTUAL') } : null),
    [result],
  );
  const siteTotals = useMemo(() => totals(rows, 'SEDE'), [rows]);
  const courseTotals = useMemo(() => totals(rows, 'CURSO_ACTUAL'), [rows]);
  const shownStudents = useMemo(() => rows.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0), [rows]);
  const onSort = useCallback((key: SortKey) => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false })), []);

  const run = async () => {
    const value = await op.run('forecast', {});
    if (value) setResult(value);
    void status.refresh();
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    const file = await op.run('exportForecast', format === 'csv' ? { format, delimiter } : { format });
    if (!file) return;
    const saved = await api.download(file.exportId, file.fileName);
    if (!saved.ok) op.fail(saved.error);
  };

  const serving = status.value?.serving ?? null;
  const noModel = op.error !== null && status.value !== null && !serving && status.value.data !== null;
  const applied = [
    site && `${t('forecast.filter.site')}: ${site}`,
    course && `${t('forecast.filter.course')}: ${course}`,
    schedule && `${t('forecast.filter.schedule')}: ${schedule}`,
    search.trim() && t('forecast.print.search', { text: search.trim() }),
  ].filter(Boolean);

  return (
    <div>
      {op.busy ? (
        <Progress progress={op.progress} />
      ) : (
        <div className="actions no-print">
          <button type="button" onClick={() => void run()}>
            {t('forecast.run')}
          </button>
          {result && (
            <>
              <button type="button" className="secondary" onClick={() => void exportAs('csv')}>
                {t('forecast.export.csv')}
              </button>
              <label className="inline">
                {t('forecast.export.delimiter')}
                <select value={delimiter} onChange={(e) => setDelimiter(e.target.value as ',' | ';')}>
                  <option value=",">{t('forecast.export.comma')}</option>
                  <option value=";">{t('forecast.export.semicolon')}</option>
                </select>
              </label>
              <button type="button" className="secondary" onClick={() => void exportAs('xlsx')}>
                {t('forecast.export.xlsx')}
              </button>
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
      {result && options && (
        <>
          <p className="summary">{t('forecast.summary', { period: period(result.report.period), classes: result.report.rows, students: result.report.total_students })}</p>
          <p className="muted">
            {!status.value ? '' : serving && serving.model_version === result.report.model_version
              ? t('forecast.model.dated', { date: day(serving.trained_at), model: modelName(result.report.candidate) })
              : t('forecast.model.earlier', { model: modelName(result.report.candidate) })}
          </p>
          {result.report.stale_model && <p className="note bad">{t('forecast.stale')}</p>}
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
          <ForecastGrid rows={rows} sort={sort} onSort={onSort} />
          {printing && (
            <PrintTable
              rows={rows}
              period={period(result.report.period)}
              filters={applied.length > 0 ? t('forecast.print.filters', { filters: applied.join(' · ') }) : t('forecast.print.noFilters')}
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
          </Technical>
        </>
      )}
    </div>
  );
}
