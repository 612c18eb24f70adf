import { useState } from 'react';
import type { FilePreview, Results } from '../../shared/contract';
import { spreadsheetCsv } from '../../shared/csv';
import { CANONICAL_FIELDS } from '../../shared/fields';
import type { CanonicalField } from '../../shared/fields';
import type { ColumnMapping, FieldSource } from '../../shared/mapping';
import type { ImportProblem } from '../../shared/problems';
import type { Uploaded } from '../../shared/bridge';
import { api } from '../api';
import { ErrorNote, Progress, ScrollX, SimpleTable } from '../components/common';
import { ImportOutcome } from '../components/outcome';
import { useOperation } from '../components/operation';
import { useI18n } from '../i18n';
import { saveBlob } from '../save';
import type { MessageKey } from '../messages';
import type { Screen } from '../navigation';

type Step = 'choose' | 'preview' | 'mapping' | 'check' | 'done';
interface Chosen {
  upload: Uploaded;
  preview: FilePreview;
  mapping: ColumnMapping;
  period: string;
}
type ImportResult = Results['importFiles'];

const CONSTANT = '__constant__';

function FieldEditor({ label, headers, source, onChange }: { label: string; headers: string[]; source: FieldSource | undefined; onChange: (s: FieldSource | undefined) => void }) {
  const { t } = useI18n();
  const columns = typeof source === 'string' ? [source] : Array.isArray(source) ? source : [];
  const constant = source !== undefined && typeof source === 'object' && !Array.isArray(source) ? source.value : null;
  const main = constant !== null ? CONSTANT : (columns[0] ?? '');
  return (
    <div className="field-editor">
      <select
        aria-label={t('import.mapping.sourceFor', { field: label })}
        value={main}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === '' ? undefined : v === CONSTANT ? { value: constant ?? '' } : columns.length > 1 ? [v, ...columns.slice(1)] : v);
        }}
      >
        <option value="">{t('import.mapping.unset')}</option>
        {headers.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
        <option value={CONSTANT}>{t('import.mapping.constant')}</option>
      </select>
      {constant !== null && <input aria-label={t('import.mapping.constant')} value={constant} onChange={(e) => onChange({ value: e.target.value })} />}
      {constant === null && columns.length > 0 && (
        <label className="join">
          {t('import.mapping.join')}
          <select value={columns[1] ?? ''} onChange={(e) => onChange(e.target.value ? [columns[0]!, e.target.value] : columns[0]!)}>
            <option value="">—</option>
            {headers.filter((h) => h !== columns[0]).map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

function problemsCsv(problems: ImportProblem[], locale: 'es' | 'en'): string {
  const head = locale === 'es' ? ['archivo', 'línea', 'columna', 'valor', 'problema'] : ['file', 'line', 'column', 'value', 'problem'];
  return spreadsheetCsv(head, problems.map((p) => [p.file, p.line, p.column, p.value, p.message[locale]]));
}

export function ImportWizard({ go }: { go: (screen: Screen) => void }) {
  const { t, say, periods, locale } = useI18n();
  const [step, setStep] = useState<Step>('choose');
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const op = useOperation();

  const choose = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const list: Chosen[] = [];
    for (const file of Array.from(files)) {
      const uploaded = await api.upload(file);
      if (!uploaded.ok) return op.fail(uploaded.error);
      const upload = uploaded.value;
      const preview = await op.run('previewFile', { fileId: upload.fileId });
      if (!preview) return;
      list.push({ upload, preview, mapping: preview.guessedMapping, period: preview.periodFromName ?? '' });
    }
    setChosen(list);
    setStep('preview');
  };

  /** Another sheet of a workbook: previewed again, its columns guessed again. */
  const chooseSheet = async (index: number, sheet: string) => {
    const c = chosen[index];
    if (!c) return;
    const preview = await op.run('previewFile', { fileId: c.upload.fileId, sheet });
    if (!preview) return;
    setChosen((all) => all.map((x, i) => (i === index ? { ...x, preview, mapping: preview.guessedMapping } : x)));
  };

  const request = () =>
    chosen.map((c) => ({
      fileId: c.upload.fileId,
      ...(c.preview.sheet !== null ? { sheet: c.preview.sheet } : {}),
      mapping: c.mapping,
      ...(c.mapping.PERIODO === undefined && c.period.trim() ? { period: c.period.trim() } : {}),
    }));

  const runCheck = async () => {
    const result = await op.run('importFiles', { files: request(), dryRun: true });
    if (result) {
      setCheck(result);
      setStep('check');
    }
  };
  const runImport = async () => {
    const result = await op.run('importFiles', { files: request() });
    if (result) {
      setDone(result);
      setStep('done');
    }
  };
  const restart = () => {
    setChosen([]);
    setCheck(null);
    setDone(null);
    setStep('choose');
  };

  const steps: Step[] = ['choose', 'preview', 'mapping', 'check', 'done'];
  const allProblems = check?.reports.flatMap((r) => r.problems) ?? [];
  const accepted = check?.reports.every((r) => r.status !== 'rejected') ?? false;

  return (
    <div>
      <ol className="steps" aria-label={t('import.steps')}>
        {steps.map((s) => (
          <li key={s} className={s === step ? 'current' : undefined} aria-current={s === step ? 'step' : undefined}>
            {t(`import.step.${s}` as MessageKey)}
          </li>
        ))}
      </ol>
      <ErrorNote error={op.error} />

      {step === 'choose' && (
        <label
          className="dropzone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            void choose(e.dataTransfer.files);
          }}
        >
          <span>{t('import.drop')}</span>
          <span className="button-like">{t('import.choose')}</span>
          <input type="file" multiple accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => void choose(e.target.files)} />
        </label>
      )}

      {step === 'preview' &&
        chosen.map((c, index) => (
          <section key={c.upload.fileId} className="card">
            <h2>{c.preview.name}</h2>
            {c.preview.sheet !== null ? (
              <>
                {c.preview.sheets.length > 1 && (
                  <label>
                    {t('import.preview.sheet')}{' '}
                    <select value={c.preview.sheet} disabled={op.busy} onChange={(e) => void chooseSheet(index, e.target.value)}>
                      {c.preview.sheets.map((name) => (
                        <option key={name} value={name}>
                          {name}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <p>{t('import.preview.sheetMeta', { sheet: c.preview.sheet, row: String(c.preview.headerRow ?? 1), skipped: (c.preview.headerRow ?? 1) > 1 ? 'yes' : 'no', columns: c.preview.headers.length })}</p>
              </>
            ) : (
              <p>{t('import.preview.meta', { encoding: c.preview.encoding, delimiter: c.preview.delimiter === '\t' ? t('import.preview.tab') : `«${c.preview.delimiter}»`, columns: c.preview.headers.length })}</p>
            )}
            {c.preview.problems.map((p) => (
              <p key={p.code} className="error">
                {say(p.message)}
              </p>
            ))}
            {c.preview.headers.length > 0 && (
              <ScrollX label={c.preview.name}>
                <SimpleTable head={c.preview.headers} rows={c.preview.rows.slice(0, 10)} />
              </ScrollX>
            )}
          </section>
        ))}

      {step === 'mapping' && (
        <>
          <p>{t('import.mapping.help')}</p>
          {chosen.map((c, index) => (
            <section key={c.upload.fileId} className="card">
              <h2>{c.preview.name}</h2>
              <SimpleTable
                head={[t('import.mapping.field'), t('import.mapping.source')]}
                rows={CANONICAL_FIELDS.map((field: CanonicalField) => [
                  t(`import.field.${field}` as MessageKey),
                  <FieldEditor
                    key={field}
                    label={t(`import.field.${field}` as MessageKey)}
                    headers={c.preview.headers}
                    source={c.mapping[field]}
                    onChange={(source) =>
                      setChosen((all) => all.map((x, i) => (i === index ? { ...x, mapping: { ...x.mapping, [field]: source } } : x)))
                    }
                  />,
                ])}
              />
              {c.mapping.PERIODO === undefined && (
                <label className="inline">
                  {t('import.mapping.period')}
                  <input value={c.period} placeholder="2024-I, 2024-03, 2024…" onChange={(e) => setChosen((all) => all.map((x, i) => (i === index ? { ...x, period: e.target.value } : x)))} />
                </label>
              )}
            </section>
          ))}
        </>
      )}

      {step === 'check' && check && (
        <>
          {check.reports.map((r) => (
            <div key={r.file} className={r.status === 'rejected' ? 'note bad' : 'note good'}>
              {r.status === 'rejected'
                ? t('import.check.rejected', { file: r.file, count: r.problem_count })
                : t('import.check.ok', { file: r.file, rows: r.rows_accepted, classes: r.classes, periods: periods(r.periods) })}
              {r.replaces_periods.length > 0 && <div>{t('import.check.replaces', { periods: periods(r.replaces_periods) })}</div>}
            </div>
          ))}
          {allProblems.length > 0 && (
            <>
              <ScrollX label={t('import.problems.message')}>
                <SimpleTable
                  head={[t('import.problems.line'), t('import.problems.column'), t('import.problems.value'), t('import.problems.message')]}
                  rows={allProblems.map((p) => [p.line ?? '', p.column ?? '', p.value ?? '', say(p.message)])}
                  numeric={[0]}
                />
              </ScrollX>
              <button type="button" className="secondary" onClick={() => saveBlob(new Blob([problemsCsv(allProblems, locale)], { type: 'text/csv;charset=utf-8' }), 'problemas.csv')}>
                {t('import.problems.download')}
              </button>
            </>
          )}
        </>
      )}

      {step === 'done' && done && (
        <>
          <div className="note good">
            <p>{t('import.done', { files: done.reports.length, rows: done.reports.reduce((a, r) => a + r.rows_accepted, 0) })}</p>
            <div className="actions">
              <button type="button" onClick={restart}>
                {t('import.again')}
              </button>
              <button type="button" className="secondary" onClick={() => go('home')}>
                {t('import.toHome')}
              </button>
            </div>
          </div>
          <ImportOutcome result={done} />
        </>
      )}

      {op.busy ? (
        <Progress progress={op.progress} onCancel={op.cancel} />
      ) : (
        step !== 'choose' &&
        step !== 'done' && (
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setStep(steps[steps.indexOf(step) - 1]!)}>
              {t('common.back')}
            </button>
            {step === 'preview' && (
              <button type="button" onClick={() => setStep('mapping')} disabled={chosen.some((c) => c.preview.headers.length === 0)}>
                {t('common.next')}
              </button>
            )}
            {step === 'mapping' && (
              <button type="button" onClick={() => void runCheck()}>
                {t('import.check')}
              </button>
            )}
            {step === 'check' && (
              <button type="button" onClick={() => void runImport()} disabled={!accepted}>
                {t('import.run')}
              </button>
            )}
          </div>
        )
      )}
    </div>
  );
}
