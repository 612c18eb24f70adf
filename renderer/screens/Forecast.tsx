import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { ForecastResult } from '../../shared/contract';
import type { ForecastRow } from '../../shared/reports';
import { api } from '../api';
import { ErrorNote, Progress, SimpleTable } from '../components/common';
import { useOperation } from '../components/operation';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';

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
          <button
            key={c.key}
            type="button"
            role="columnheader"
            className={c.numeric ? 'cell num' : 'cell'}
            aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            onClick={() => onSort(c.key)}
          >
            {t(c.label)} {sort.key === c.key ? (sort.descending ? '▼' : '▲') : ''}
          </button>
        ))}
      </div>
      <div className="grid-body" ref={scroller} tabIndex={0} aria-label={t('forecast.title')}>
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

export function Forecast() {
  const { t, int, modelName } = useI18n();
  const [result, setResult] = useState<ForecastResult | null>(null);
  const [site, setSite] = useState('');
  const [course, setCourse] = useState('');
  const [schedule, setSchedule] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'SEDE', descending: false });
  const [delimiter, setDelimiter] = useState<',' | ';'>(',');
  const op = useOperation();

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
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    const file = await op.run('exportForecast', format === 'csv' ? { format, delimiter } : { format });
    if (!file) return;
    const saved = await api.download(file.exportId, file.fileName);
    if (!saved.ok) op.fail(saved.error);
  };

  return (
    <div>
      <h1>{t('forecast.title')}</h1>
      {op.busy ? (
        <Progress progress={op.progress} />
      ) : (
        <div className="actions">
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
                  <option value=",">,</option>
                  <option value=";">;</option>
                </select>
              </label>
              <button type="button" className="secondary" onClick={() => void exportAs('xlsx')}>
                {t('forecast.export.xlsx')}
              </button>
            </>
          )}
        </div>
      )}
      <ErrorNote error={op.error} />
      {result && options && (
        <>
          <p className="summary">
            {t('forecast.summary', { period: result.report.period, classes: int(result.report.rows), students: int(result.report.total_students), model: `${result.report.model_version} (${modelName(result.report.candidate)})` })}
          </p>
          {result.report.stale_model && <p className="note bad">{t('forecast.stale')}</p>}
          <div className="filters">
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
            {t('forecast.shown', { shown: int(rows.length), total: int(result.rows.length), students: int(shownStudents) })}
          </p>
          <ForecastGrid rows={rows} sort={sort} onSort={onSort} />
          <div className="cards">
            <section className="card">
              <h2>{t('forecast.totals.site')}</h2>
              <SimpleTable head={[t('forecast.col.site'), t('history.classes'), t('history.students')]} numeric={[1, 2]} rows={siteTotals.map(([k, c, s]) => [k, int(c), int(s)])} />
            </section>
            <section className="card">
              <h2>{t('forecast.totals.course')}</h2>
              <div className="scroll-y">
                <SimpleTable head={[t('forecast.col.course'), t('history.classes'), t('history.students')]} numeric={[1, 2]} rows={courseTotals.map(([k, c, s]) => [k, int(c), int(s)])} />
              </div>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
