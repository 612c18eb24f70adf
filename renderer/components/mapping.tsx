import { useId, useState } from 'react';
import type { FilePreview } from '../../shared/contract';
import { CANONICAL_FIELDS } from '../../shared/fields';
import type { CanonicalField } from '../../shared/fields';
import type { ColumnMapping, FieldSource } from '../../shared/mapping';
import { ColumnMappingSchema } from '../../shared/mapping';
import type { SavedMapping } from '../../shared/reports';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { saveBlob } from '../save';
import { ErrorNote } from './common';
import type { FileGroup, MappingDraft, MappingProblem, ProblemPlace } from './mapping-rules';
import { draftOf, finalMapping, offered, valuesSeen } from './mapping-rules';
import { useOperation } from './operation';

const CONSTANT = '__constant__';
const FROM_NAME = '__from_name__';
/** At most this many columns joined into one field (UVA's course is three: Mnemonic, Number, Type). */
const MAX_JOINED = 4;

/** A field's name as the screen shows it ("Sede"). */
export const fieldLabel = (field: CanonicalField): MessageKey => `import.field.${field}` as MessageKey;

/**
 * Where one field comes from: a column (or several joined with a space), a fixed value, or — for the period —
 * each file's name. "Join with" is not offered for the count: a number is never made of two columns.
 */
function FieldEditor({
  field,
  headers,
  source,
  fromName,
  problem,
  problemId,
  onChange,
}: {
  field: CanonicalField;
  headers: string[];
  source: FieldSource | undefined;
  fromName: boolean;
  problem: string | null;
  problemId: string;
  onChange: (source: FieldSource | undefined, fromName: boolean) => void;
}) {
  const { t } = useI18n();
  const label = t(fieldLabel(field));
  const columns = typeof source === 'string' ? [source] : Array.isArray(source) ? source : [];
  const constant = source !== undefined && typeof source === 'object' && !Array.isArray(source) ? source.value : null;
  const main = fromName ? FROM_NAME : constant !== null ? CONSTANT : (columns[0] ?? '');
  const joinable = field !== 'ALUMNOS' && field !== 'CAPACIDAD' && constant === null && !fromName && columns.length > 0;
  const joined = (next: string[]): FieldSource => (next.length === 1 ? next[0]! : next);
  const others = (except: number) => headers.filter((h) => !columns.some((c, i) => i !== except && c === h));
  return (
    <div className="field-editor">
      <select
        aria-label={t('import.mapping.sourceFor', { field: label })}
        value={main}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(e) => {
          const v = e.target.value;
          if (v === '') onChange(undefined, false);
          else if (v === CONSTANT) onChange({ value: constant ?? '' }, false);
          else if (v === FROM_NAME) onChange(undefined, true);
          else onChange(columns.length > 1 ? joined([v, ...columns.slice(1)]) : v, false);
        }}
      >
        <option value="">{t('import.mapping.unset')}</option>
        {headers.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
        {field === 'PERIODO' && <option value={FROM_NAME}>{t('import.mapping.fromName')}</option>}
        {field !== 'ALUMNOS' && field !== 'ID_ALUMNO' && <option value={CONSTANT}>{t('import.mapping.constant')}</option>}
      </select>
      {constant !== null && (
        <input
          aria-label={t('import.mapping.constantFor', { field: label })}
          value={constant}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(e) => onChange({ value: e.target.value }, false)}
        />
      )}
      {joinable &&
        [...columns.slice(1), ...(columns.length < MAX_JOINED ? [''] : [])].map((column, i) => (
          <label key={i} className="join">
            {t('import.mapping.join')}
            <select
              aria-label={t('import.mapping.joinFor', { field: label })}
              value={column}
              onChange={(e) => {
                const next = [...columns];
                if (e.target.value === '') next.splice(i + 1, 1);
                else next[i + 1] = e.target.value;
                onChange(joined(next), false);
              }}
            >
              <option value="">—</option>
              {others(i + 1).map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        ))}
      {problem && (
        <span id={problemId} className="field-error">
          {problem}
        </span>
      )}
    </div>
  );
}

/** A .json the command line reads, or why not, in one sentence. */
function readMappingFile(text: string): { ok: true; mapping: ColumnMapping } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  const parsed = ColumnMappingSchema.safeParse(json);
  if (parsed.success) return { ok: true, mapping: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, problem: `${issue.path.join('.') || 'JSON'}: ${issue.message}` };
}

/**
 * One mapping for every file with the same columns: the files it covers, a saved mapping to start from, each
 * field with what is still missing beside it, the row filter, and saving it by name or as the .json the
 * command line reads.
 */
export function MappingCard({
  group,
  previews,
  saved,
  problems,
  onChange,
  onSavedChange,
}: {
  group: FileGroup;
  previews: FilePreview[];
  saved: SavedMapping[];
  /** The problems to show (none until the user first asks to check). */
  problems: Partial<Record<ProblemPlace, MappingProblem>>;
  onChange: (draft: MappingDraft) => void;
  onSavedChange: () => Promise<void>;
}) {
  const i18n = useI18n();
  const { t, day, period } = i18n;
  const id = useId();
  const op = useOperation();
  const [name, setName] = useState(group.draft.saved?.name ?? '');
  const [note, setNote] = useState<string | null>(null);
  const [nameMissing, setNameMissing] = useState(false);
  const { draft, headers } = group;
  const files = group.files.map((i) => previews[i]!);
  const choices = offered(saved, headers);
  const say = (p: MappingProblem | undefined) => (p ? t(p.key, p.values) : null);
  const set = (patch: Partial<MappingDraft>) => onChange({ ...draft, ...patch });
  const fileList = (names: string[]) => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')}…`);
  const mapping = finalMapping(draft);

  const applySaved = (chosen: string) => {
    const s = saved.find((m) => m.name === chosen);
    onChange(s ? draftOf(s.mapping, s.period_from_name && files.every((f) => f.periodFromName !== null), s) : { ...draft, saved: null });
    if (s) setName(s.name);
  };
  const save = async () => {
    if (name.trim() === '') {
      setNameMissing(true);
      return;
    }
    setNameMissing(false);
    const result = await op.run('saveMapping', { name: name.trim(), mapping, periodFromName: draft.periodFromName, headers });
    if (!result) return;
    setNote(t('import.saved.saved', { name: result.name }));
    await onSavedChange();
    onChange({ ...draft, saved: result });
  };
  const remove = async (s: SavedMapping) => {
    if (!(await op.run('deleteMapping', { name: s.name }))) return;
    setNote(t('import.saved.deleted', { name: s.name }));
    onChange({ ...draft, saved: null });
    await onSavedChange();
  };
  const load = async (file: File | undefined) => {
    if (!file) return;
    const read = readMappingFile(await file.text());
    if (!read.ok) {
      setNote(t('import.saved.badFile', { file: file.name, problem: read.problem }));
      return;
    }
    onChange(draftOf(read.mapping, read.mapping.PERIODO === undefined && files.every((f) => f.periodFromName !== null)));
    setNote(t('import.saved.loaded', { file: file.name }));
  };
  const seen = draft.filterColumn ? valuesSeen(previews, group.files, draft.filterColumn) : [];
  const examples = files.filter((f) => f.periodFromName !== null).slice(0, 2).map((f) => `${f.name} → ${period(f.periodFromName!)}`);
  const title = files.length === 1 ? files[0]!.name : t('import.mapping.group', { count: files.length });

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {files.length > 1 && (
        <>
          <p>{t('import.mapping.covers', { count: files.length, files: fileList(files.map((f) => f.name)) })}</p>
          {group.extra.length > 0 && (
            <p className="hint">
              {t('import.mapping.extra', { count: files.filter((f) => f.headers.length > headers.length).length, columns: group.extra.map((c) => `«${c}»`).join(', ') })}
            </p>
          )}
          <details>
            <summary>{t('import.mapping.allFiles', { count: files.length })}</summary>
            <ul className="file-list">
              {files.map((f) => (
                <li key={f.fileId}>
                  {f.name}
                  {f.periodFromName !== null && draft.periodFromName ? ` → ${period(f.periodFromName)}` : ''}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
      {choices.length > 0 && (
        <div className="actions">
          <label className="inline">
            {t('import.saved.use')}
            <select value={draft.saved?.name ?? ''} onChange={(e) => applySaved(e.target.value)}>
              <option value="">{t('import.saved.none')}</option>
              {choices.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          {draft.saved && (
            <button type="button" className="secondary" disabled={op.busy} onClick={() => void remove(draft.saved!)}>
              {t('import.saved.delete', { name: draft.saved.name })}
            </button>
          )}
        </div>
      )}
      {draft.saved && <p className="note good">{t('import.saved.applied', { name: draft.saved.name, date: day(draft.saved.updated_at) })}</p>}
      <table className="simple mapping-table">
        <thead>
          <tr>
            <th scope="col">{t('import.mapping.field')}</th>
            <th scope="col">{t('import.mapping.source')}</th>
          </tr>
        </thead>
        <tbody>
          {CANONICAL_FIELDS.map((field) => (
            <tr key={field}>
              <th scope="row">{t(fieldLabel(field))}</th>
              <td className="wrap">
                <FieldEditor
                  field={field}
                  headers={headers}
                  source={draft.mapping[field]}
                  fromName={field === 'PERIODO' && draft.periodFromName}
                  problem={say(problems[field])}
                  problemId={`${id}-${field}-problem`}
                  onChange={(source, fromName) => set({ mapping: { ...draft.mapping, [field]: source }, ...(field === 'PERIODO' ? { periodFromName: fromName } : {}) })}
                />
                {field === 'PERIODO' && draft.periodFromName && examples.length > 0 && !problems.PERIODO && <span className="hint">{t('import.mapping.fromName.example', { examples: examples.join(' · ') })}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset className="row-filter">
        <legend>
          <label className="check">
            <input type="checkbox" checked={draft.filterOn} aria-describedby={`${id}-filter-help`} onChange={(e) => set({ filterOn: e.target.checked })} />
            {t('import.filter.on')}
          </label>
        </legend>
        <p id={`${id}-filter-help`} className="hint">
          {t('import.filter.help')}
        </p>
        {draft.filterOn && (
          <div className="actions">
            <label className="inline">
              {t('import.filter.column')}
              <select
                value={draft.filterColumn}
                aria-invalid={problems.filter && !draft.filterColumn ? true : undefined}
                aria-describedby={problems.filter ? `${id}-filter-problem` : undefined}
                onChange={(e) => set({ filterColumn: e.target.value })}
              >
                <option value="">{t('import.mapping.unset')}</option>
                {headers.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline">
              {t('import.filter.values')}
              <input
                value={draft.filterValues}
                aria-invalid={problems.filter && draft.filterColumn ? true : undefined}
                aria-describedby={[problems.filter ? `${id}-filter-problem` : '', seen.length > 0 ? `${id}-filter-seen` : ''].filter(Boolean).join(' ') || undefined}
                onChange={(e) => set({ filterValues: e.target.value })}
              />
            </label>
            {seen.length > 0 && (
              <span id={`${id}-filter-seen`} className="hint">
                {t('import.filter.seen', { values: seen.join(', ') })}
              </span>
            )}
          </div>
        )}
        {problems.filter && (
          <p id={`${id}-filter-problem`} className="field-error">
            {say(problems.filter)}
          </p>
        )}
      </fieldset>
      <div className="actions save-mapping">
        <label className="inline">
          {t('import.saved.name')}
          <input
            value={name}
            maxLength={80}
            aria-invalid={nameMissing ? true : undefined}
            aria-describedby={nameMissing ? `${id}-name-problem` : undefined}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="button" className="secondary" disabled={op.busy} onClick={() => void save()}>
          {t('import.saved.save')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => saveBlob(new Blob([`${JSON.stringify(mapping, null, 2)}\n`], { type: 'application/json' }), `mapeo-${(name.trim() || 'cupo').replace(/[^\p{L}\p{N}_-]+/gu, '-')}.json`)}
        >
          {t('import.saved.download')}
        </button>
        <label className="file-button secondary">
          <input type="file" accept=".json,application/json" className="visually-hidden" onChange={(e) => void load(e.target.files?.[0]).then(() => (e.target.value = ''))} />
          <span>{t('import.saved.upload')}</span>
        </label>
      </div>
      {nameMissing && (
        <p id={`${id}-name-problem`} className="field-error">
          {t('import.saved.nameMissing')}
        </p>
      )}
      <p className="hint">{t('import.saved.cli', { fromName: draft.periodFromName ? 'yes' : 'no' })}</p>
      {note && (
        <p className="note" role="status">
          {note}
        </p>
      )}
      <ErrorNote error={op.error} />
    </section>
  );
}
