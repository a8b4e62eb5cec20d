/** Small pieces the pages share: badges, notices, copy and confirm buttons, times. */
import { useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';

const TONE: Record<string, string> = {
  COMPLETED: 'good',
  RUNNING: 'busy',
  FAILED: 'bad',
  TIMED_OUT: 'bad',
  TERMINATED: 'bad',
  CANCELLED: 'warn',
  CONTINUED_AS_NEW: 'muted',
  authorized: 'good',
  configured: 'good',
  'not-required': 'muted',
  'authorization-required': 'warn',
  'reauthorization-required': 'bad',
  enabled: 'good',
  disabled: 'muted',
  paused: 'warn',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span className={`badge ${TONE[value] ?? 'muted'}`}>{label ?? value.toLowerCase().replace(/[_-]/g, ' ')}</span>;
}

export function Notice({ tone = 'info', children }: { tone?: 'info' | 'good' | 'bad'; children: ReactNode }) {
  return (
    <div className={`notice ${tone}`} role={tone === 'bad' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return <Notice tone="bad">{error instanceof ApiError || error instanceof Error ? error.message : String(error)}</Notice>;
}

/** Copies a value; where the clipboard API is missing (plain http off localhost) the text is selected for Ctrl+C. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      field.current?.select();
    }
  };
  return (
    <span className="copy">
      <input ref={field} readOnly value={value} aria-label={label} onFocus={(event) => event.target.select()} />
      <button type="button" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

/** A button whose action runs only after a confirmation dialog (a native <dialog>: focus and Escape handled by the browser). */
export function ConfirmButton({ label, question, confirm, onConfirm, danger }: { label: string; question: string; confirm: string; onConfirm(): void; danger?: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className={danger ? 'danger' : undefined} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} aria-label={label}>
        <p>{question}</p>
        <div className="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Keep it
          </button>
          <button
            type="button"
            className={danger ? 'danger' : 'primary'}
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirm}
          </button>
        </div>
      </dialog>
    </>
  );
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago" / "in 2 minutes", with the exact time on hover. */
export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const date = new Date(at);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const [value, unit] =
    Math.abs(seconds) < 60
      ? [seconds, 'second']
      : Math.abs(seconds) < 3600
        ? [Math.round(seconds / 60), 'minute']
        : Math.abs(seconds) < 86400
          ? [Math.round(seconds / 3600), 'hour']
          : [Math.round(seconds / 86400), 'day'];
  return (
    <time dateTime={at} title={date.toLocaleString()}>
      {relative.format(value, unit as Intl.RelativeTimeFormatUnit)}
    </time>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

/** A labelled choice among `options`, with a first "Choose…" entry for none yet. */
export function Choice({
  id,
  label,
  placeholder,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange(value: string): void;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{placeholder}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </>
  );
}
