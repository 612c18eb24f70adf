import { useRef, useState } from 'react';
import type { FilePreview, Results } from '../../shared/contract';
import { spreadsheetCsv } from '../../shared/csv';
import type { ImportProblem } from '../../shared/problems';
import type { SavedMapping } from '../../shared/reports';
import type { Uploaded } from '../../shared/bridge';
import { api } from '../api';
import { ErrorNote, Progress, ScrollX, SimpleTable } from '../components/common';
import { MappingCard, fieldLabel } from '../components/mapping';
import type { FileGroup } from '../components/mapping-rules';
import { finalMapping, groupFiles, mappingProblems } from '../components/mapping-rules';
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
}
type ImportResult = Results['importFiles'];

function problemsCsv(problems: ImportProblem[], locale: 'es' | 'en'): string {
  const head = locale === 'es' ? ['archivo', 'línea', 'columna', 'valor', 'problema'] : ['file', 'line', 'column', 'value', 'problem'];
  return spreadsheetCsv(head, problems.map((p) => [p.file, p.line, p.column, p.value, p.message[locale]]));
}

export function ImportWizard({ go }: { go: (screen: Screen) => void }) {
  const { t, say, periods, locale } = useI18n();
  const [step, setStep] = useState<Step>('choose');
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [groups, setGroups] = useState<FileGroup[]>([]);
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  /** Files read so far while choosing many (uploaded and previewed one by one). */
  const [loading, setLoading] = useState<{ done: number; total: number } | null>(null);
  /** Whether the user asked to go on from the mapping: from then on, what is missing is shown beside each field. */
  const [triedMapping, setTriedMapping] = useState(false);
  const mappingTop = useRef<HTMLDivElement>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const op = useOperation();

  const choose = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const list: Chosen[] = [];
    const all = Array.from(files);
    setLoading({ done: 0, total: all.length });
    try {
      for (const file of all) {
        const uploaded = await api.upload(file);
        if (!uploaded.ok) return op.fail(uploaded.error);
        const upload = uploaded.value;
        const preview = await op.run('previewFile', { fileId: upload.fileId });
        if (!preview) return;
        list.push({ upload, preview });
        setLoading({ done: list.length, total: all.length });
      }
    } finally {
      setLoading(null);
    }
    const mappings = await api.call('mappings', {});
    const known = mappings.ok ? mappings.value : [];
    setSaved(known);
    setChosen(list);
    setGroups(groupFiles(list.map((c) => c.preview), known));
    setTriedMapping(false);
    setStep('preview');
  };
  const refreshSaved = async () => {
    const mappings = await api.call('mappings', {});
    if (mappings.ok) setSaved(mappings.value);
  };

  /** Another sheet of a workbook: previewed again, its columns guessed again. */
  const chooseSheet = async (index: number, sheet: string) => {
    const c = chosen[index];
    if (!c) return;
    const preview = await op.run('previewFile', { fileId: c.upload.fileId, sheet });
    if (!preview) return;
    const next = chosen.map((x, i) => (i === index ? { ...x, preview } : x));
    setChosen(next);
    // Another sheet has other columns: the files are grouped again.
    setGroups(groupFiles(next.map((c) => c.preview), saved));
  };

  /** Every file with its group's mapping, in the order chosen. */
  const request = () =>
    groups
      .flatMap((g) => g.files.map((index) => ({ index, group: g })))
      .sort((a, b) => a.index - b.index)
      .map(({ index, group }) => {
        const c = chosen[index]!;
        return {
          fileId: c.upload.fileId,
          ...(c.preview.sheet !== null ? { sheet: c.preview.sheet } : {}),
          mapping: finalMapping(group.draft),
          ...(group.draft.periodFromName ? { periodFromName: true } : {}),
        };
      });
  const previews = chosen.map((c) => c.preview);
  const fieldName = (field: Parameters<typeof fieldLabel>[0]) => t(fieldLabel(field));
  const problemsOf = (g: FileGroup) => mappingProblems(g, previews, fieldName, (names) => names.join(', '));
  const incomplete = groups.some((g) => Object.keys(problemsOf(g)).length > 0);
  /** On from the mapping: only when nothing is missing; else what is, beside each field, and focus on the first. */
  const checkMapping = () => {
    setTriedMapping(true);
    if (!incomplete) return void runCheck();
    requestAnimationFrame(() => mappingTop.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

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
    setGroups([]);
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
        loading ? (
          <Progress progress={null} waiting={t('import.loading', { done: loading.done, total: loading.total })} />
        ) : (
          <label
            className="dropzone"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              void choose(e.dataTransfer.files);
            }}
          >
            <span>{t('import.drop')}</span>
            {/* The browser's own control (its button and "no file chosen", in the browser's language) stays hidden: this button is the control. */}
            <input
              type="file"
              multiple
              className="visually-hidden"
              accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => void choose(e.target.files)}
            />
            <span className="button-like" aria-hidden="true">
              {t('import.choose')}
            </span>
            <span className="hint">{t('import.choose.hint')}</span>
          </label>
        )
      )}

      {step === 'preview' &&
        chosen.map((c, index) => {
          // Text files with the same columns are previewed once, by the first of them; a workbook keeps its own card (its sheet is chosen per file).
          const group = groups.find((g) => g.files.includes(index));
          const alike = c.preview.sheet === null ? (group?.files.filter((i) => chosen[i]!.preview.sheet === null) ?? [index]) : [index];
          if (alike[0] !== index) return null;
          return (
          <section key={c.upload.fileId} className="card">
            <h2>{alike.length > 1 ? t('import.preview.group', { file: c.preview.name, count: alike.length - 1 }) : c.preview.name}</h2>
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
            {alike.flatMap((i) => chosen[i]!.preview.problems).map((p, i) => (
              <p key={i} className="error wrap-anywhere">
                {say(p.message)}
              </p>
            ))}
            {c.preview.headers.length > 0 && (
              <ScrollX label={c.preview.name}>
                <SimpleTable head={c.preview.headers} rows={c.preview.rows.slice(0, 10)} />
              </ScrollX>
            )}
          </section>
          );
        })}

      {step === 'mapping' && (
        <div ref={mappingTop}>
          <p>{t('import.mapping.help')}</p>
          {groups.map((g) => (
            <MappingCard
              key={g.key}
              group={g}
              previews={previews}
              saved={saved}
              problems={triedMapping ? problemsOf(g) : {}}
              onChange={(draft) => setGroups((all) => all.map((x) => (x.key === g.key ? { ...x, draft } : x)))}
              onSavedChange={refreshSaved}
            />
          ))}
          {triedMapping && incomplete && (
            <p className="field-error" role="status">
              {t('import.missing.summary')}
            </p>
          )}
        </div>
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
                  rows={allProblems.map((p) => [p.line ?? '', p.column ?? '', <span className="wrap-anywhere">{p.value ?? ''}</span>, <span className="wrap-anywhere">{say(p.message)}</span>])}
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
              <button type="button" onClick={checkMapping}>
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
