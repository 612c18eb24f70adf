import type { ReactNode } from 'react';
import type { CallError, ProgressEvent } from '../../shared/contract';
import { useI18n } from '../i18n';

/** An operation under way: the engine's last word on it, or `waiting` until the first one arrives. */
export function Progress({ progress, onCancel, waiting }: { progress: ProgressEvent | null; onCancel?: () => void; waiting?: string }) {
  const { say, t } = useI18n();
  const value = progress && progress.total > 0 ? progress.done / progress.total : null;
  return (
    <div className="progress" role="status" aria-live="polite">
      <progress max={1} value={value ?? undefined} aria-label={progress ? say(progress.message) : (waiting ?? t('common.working'))} />
      <span>{progress ? say(progress.message) : (waiting ?? t('common.working'))}</span>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}

export function ErrorNote({ error }: { error: CallError | null }) {
  const { say } = useI18n();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {say(error.message)}
    </p>
  );
}

/** Until a screen's data arrives: "working…", or the sentence saying why it could not be read. */
export function Loading({ error }: { error: CallError | null }) {
  const { t } = useI18n();
  return error ? <ErrorNote error={error} /> : <p role="status">{t('common.working')}</p>;
}

export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function SimpleTable({ head, rows, numeric = [], caption }: { head: string[]; rows: ReactNode[][]; numeric?: number[]; caption?: string }) {
  return (
    <table className="simple">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} className={numeric.includes(i) ? 'num' : undefined} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r}>
            {row.map((cell, i) => (
              <td key={i} className={numeric.includes(i) ? 'num' : undefined}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a person does not need to read, one click away: ids, seeds, the metric's technical name. */
export function Technical({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <details className="technical">
      <summary>{t('common.technical')}</summary>
      <div className="technical-body">{children}</div>
    </details>
  );
}

/**
 * A chart a director reads: its title, its one-sentence caption (give it to the chart as its aria-label), the chart,
 * and the same numbers as a table one click away (and in print).
 */
export function ChartCard({ title, caption, chart, head, rows, numeric }: { title: string; caption: string; chart: ReactNode; head: string[]; rows: ReactNode[][]; numeric?: number[] }) {
  const { t } = useI18n();
  return (
    <section className="card chart-card">
      <h2>{title}</h2>
      <p className="caption">{caption}</p>
      <div className="chart">{chart}</div>
      <details className="as-table">
        <summary>{t('common.asTable')}</summary>
        <ScrollX label={title}>
          <SimpleTable head={head} rows={rows} numeric={numeric ?? []} caption={title} />
        </ScrollX>
      </details>
    </section>
  );
}

/** A wide table's box: scrolled sideways with the mouse or, once focused, the keyboard. */
export function ScrollX({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll-x" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
