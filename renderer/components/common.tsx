import type { ReactNode } from 'react';
import type { CallError, ProgressEvent } from '../../shared/contract';
import { useI18n } from '../i18n';

export function Progress({ progress, onCancel }: { progress: ProgressEvent | null; onCancel?: () => void }) {
  const { say, t } = useI18n();
  const value = progress && progress.total > 0 ? progress.done / progress.total : null;
  return (
    <div className="progress" role="status" aria-live="polite">
      <progress max={1} value={value ?? undefined} aria-label={progress ? say(progress.message) : t('common.working')} />
      <span>{progress ? say(progress.message) : t('common.working')}</span>
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
  return error ? <ErrorNote error={error} /> : <p>{t('common.working')}</p>;
}

export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function SimpleTable({ head, rows, numeric = [] }: { head: string[]; rows: ReactNode[][]; numeric?: number[] }) {
  return (
    <table className="simple">
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={h} className={numeric.includes(i) ? 'num' : undefined} scope="col">
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
