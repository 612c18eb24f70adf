import type { Uploaded } from '../../shared/bridge';
import type { Args, CallResult, Method, ProgressEvent, Results } from '../../shared/contract';
import type { CallOptions, Host } from '../host';
import { saveBlob } from '../save';

const TOKEN_KEY = 'cupo.token';

/** The token arrives in the URL fragment (never sent to a server); it is kept for the tab and removed from view. */
function sessionToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = sessionToken();
const headers = () => ({ Authorization: `Bearer ${token}` });

function failure<T>(es: string, en: string): CallResult<T> {
  return { ok: false, error: { code: 'internal', message: { es, en } } };
}

const unreachable = <T>() => failure<T>('No se pudo conectar con Cupo: ¿sigue abierta la ventana de «npm run web»?', 'Could not reach Cupo: is the "npm run web" window still open?');

/** A refusal from the server carries its own sentence; anything else is said with the status. */
async function refusal<T>(response: Response): Promise<CallResult<T>> {
  const body = (await response.json().catch(() => null)) as CallResult<T> | null;
  return body && body.ok === false && body.error?.message ? body : failure(`El servidor respondió ${response.status}.`, `The server answered ${response.status}.`);
}

async function call<M extends Method>(method: M, args: Args<M>, options: CallOptions = {}): Promise<CallResult<Results[M]>> {
  let response: Response;
  try {
    response = await fetch(`/api/call/${method}`, { method: 'POST', headers: { ...headers(), 'Content-Type': 'application/json' }, body: JSON.stringify({ args }) });
  } catch {
    return unreachable();
  }
  if (!response.ok || !response.body) return refusal(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let callId: number | null = null;
  const cancel = () => callId !== null && void fetch(`/api/cancel/${callId}`, { method: 'POST', headers: headers() }).catch(() => undefined);
  options.signal?.addEventListener('abort', cancel);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as unknown;
        if (name === 'call') {
          callId = (data as { id: number }).id;
          if (options.signal?.aborted) cancel();
        } else if (name === 'progress') options.onProgress?.(data as ProgressEvent);
        else if (name === 'result') return data as CallResult<Results[M]>;
      }
    }
  } catch {
    // The connection dropped (the server stopped): said below, like an answer cut short.
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
  return failure('La respuesta se cortó antes de terminar.', 'The answer was cut off before it finished.');
}

async function upload(file: File): Promise<CallResult<Uploaded>> {
  let response: Response;
  try {
    response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers: headers(), body: file });
  } catch {
    return unreachable();
  }
  if (!response.ok) return refusal(response);
  return ((await response.json().catch(() => null)) as CallResult<Uploaded> | null) ?? failure('La respuesta a la subida llegó incompleta.', 'The answer to the upload arrived incomplete.');
}

/** Saves an export the engine wrote, as the browser's download. */
async function download(exportId: string, fileName: string): Promise<CallResult<boolean>> {
  let blob: Blob;
  try {
    const response = await fetch(`/api/download/${exportId}/${encodeURIComponent(fileName)}`, { headers: headers() });
    if (!response.ok) return refusal(response);
    blob = await response.blob();
  } catch {
    return unreachable();
  }
  saveBlob(blob, fileName);
  return { ok: true, value: true };
}

/** Browser mode: HTTP to the local server with the session token, results and progress over server-sent events. */
export const localServerHost: Host = { call, upload, download };
