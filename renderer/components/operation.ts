import { useCallback, useEffect, useRef, useState } from 'react';
import type { Args, CallError, Method, ProgressEvent, Results } from '../../shared/contract';
import { api } from '../api';

/** Runs one engine operation at a time for a screen: its progress, its error, and a cancel. */
export function useOperation() {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(async <M extends Method>(method: M, args: Args<M>): Promise<Results[M] | null> => {
    controller.current = new AbortController();
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      const result = await api.call(method, args, { onProgress: setProgress, signal: controller.current.signal });
      if (result.ok) return result.value;
      setError(result.error);
      return null;
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  /** Shows a failure that came from the host rather than an operation (an upload, a download) the same way. */
  const fail = useCallback((failure: CallError) => setError(failure), []);
  return { run, busy, progress, error, cancel, fail, clearError: () => setError(null) };
}

/** The operations that can be called with no arguments (none at all, or only optional ones). */
type NoArgs = { [M in Method]: Record<string, never> extends Args<M> ? M : never }[Method];

/**
 * What a screen shows, read from the engine when it opens and again on `refresh()`. A failed read is kept as
 * `error`, so the screen says what went wrong instead of waiting for ever.
 */
export function useEngineValue<M extends NoArgs>(method: M) {
  const [value, setValue] = useState<Results[M] | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const refresh = useCallback(async () => {
    const result = await api.call(method, {} as Args<M>);
    if (result.ok) setValue(result.value);
    setError(result.ok ? null : result.error);
  }, [method]);
  useEffect(() => void refresh(), [refresh]);
  return { value, error, refresh, setValue };
}
