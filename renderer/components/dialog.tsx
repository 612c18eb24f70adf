import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { useI18n } from '../i18n';

/**
 * A modal dialog holding one form: opened when it mounts (then `onOpen`, to put the focus where the user starts),
 * Escape cancels unless something is under way, and submitting calls `onSubmit` (the page never reloads).
 */
export function ModalForm({ id, title, body, busy, onSubmit, onCancel, onOpen, children }: { id: string; title: string; body: ReactNode; busy: boolean; onSubmit: () => void; onCancel: () => void; onOpen?: () => void; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opened = useRef(onOpen);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    opened.current?.();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="reason-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form
        method="dialog"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        <div id={`${id}-body`}>{body}</div>
        {children}
      </form>
    </dialog>
  );
}

/**
 * A text a form may not be sent without (a reason, a note): its hint below it, or, once the user tried to send it
 * empty, the sentence that says what is missing, announced as the field's description.
 */
export function RequiredText({ id, field, label, value, onChange, hint, problem }: { id: string; field: RefObject<HTMLTextAreaElement | null>; label: string; value: string; onChange: (value: string) => void; hint: string; problem: string | null }) {
  return (
    <label className="stacked">
      {label}
      <textarea
        ref={field}
        rows={3}
        maxLength={500}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : `${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem ? (
        <span id={`${id}-problem`} className="field-error">
          {problem}
        </span>
      ) : (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
    </label>
  );
}

/**
 * A change that needs a reason: a modal dialog saying what will change, a reason field that may not be left
 * empty (said in words next to it), and confirm or cancel. Escape cancels; focus starts in the reason field.
 */
export function ReasonDialog({
  title,
  children,
  confirm,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirm: string;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const field = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const id = useId();
  const missing = reason.trim() === '';
  const submit = () => {
    setTried(true);
    if (missing) {
      field.current?.focus();
      return;
    }
    onConfirm(reason.trim());
  };
  return (
    <ModalForm id={id} title={title} body={children} busy={busy} onSubmit={submit} onCancel={onCancel} onOpen={() => field.current?.focus()}>
        <RequiredText id={id} field={field} label={t('dialog.reason')} value={reason} onChange={setReason} hint={t('dialog.reason.hint')} problem={tried && missing ? t('dialog.reason.missing') : null} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {confirm}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
    </ModalForm>
  );
}
