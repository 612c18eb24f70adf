import { useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { ErrorNote, Progress } from './common';
import { useOperation } from './operation';

/**
 * "Informe para la dirección": the management report of the coming period as a PDF, in the interface's language.
 * The desktop app asks where to save it; the browser downloads it.
 */
export function ReportButton() {
  const { t, locale } = useI18n();
  const op = useOperation();
  const [saved, setSaved] = useState<string | null>(null);
  const make = async () => {
    setSaved(null);
    const file = await op.run('report', { locale });
    if (!file) return;
    const done = await api.download(file.exportId, file.fileName);
    if (!done.ok) op.fail(done.error);
    else if (done.value) setSaved(file.fileName);
  };
  return (
    <div className="report-button">
      {op.busy ? (
        <Progress progress={op.progress} waiting={t('report.making')} />
      ) : (
        <button type="button" className="secondary" onClick={() => void make()}>
          {t('report.button')}
        </button>
      )}
      <span role="status" className="muted">
        {saved ? t('report.saved', { file: saved }) : ''}
      </span>
      <ErrorNote error={op.error} />
    </div>
  );
}
