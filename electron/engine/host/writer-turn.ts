import type { Method } from '../../../shared/contract';
import { METHODS, READ_METHODS } from '../../../shared/contract';
import type { Bilingual } from '../../../shared/messages';
import { busySentence, takeWriterTurn } from '../db/writer-lock';
import { UserError } from '../errors';
import { loadOrCreateKey } from '../ingest/pseudonymise';
import type { Workspace } from '../workspace';
import type { CallContext } from './call';

type Handler = (args: unknown, call: CallContext) => Promise<unknown>;

/** What a writer is doing, for the sentence another process says while it waits for it. */
const DOING: Partial<Record<Method, Bilingual>> = {
  importFiles: { es: 'una importación', en: 'an import' },
  loadDemo: { es: 'la carga de la demostración', en: 'loading the demo' },
  train: { es: 'un entrenamiento', en: 'a training' },
  backtest: { es: 'una prueba de modelos', en: 'a backtest' },
  forecast: { es: 'un pronóstico', en: 'a forecast' },
  exportForecast: { es: 'una exportación del pronóstico', en: 'a forecast export' },
  report: { es: 'un informe', en: 'a report' },
  reopenSnapshot: { es: 'la reapertura de una importación', en: 'reopening an import' },
  promote: { es: 'un cambio del modelo en uso', en: 'a change of the model in use' },
  rollback: { es: 'una vuelta al modelo anterior', en: 'a rollback to the previous model' },
  checkDrift: { es: 'una revisión de los datos', en: 'a check of the data' },
  runInbox: { es: 'una ejecución programada', en: 'a scheduled run' },
  saveSettings: { es: 'un cambio de ajustes', en: 'a change of settings' },
  restore: { es: 'una restauración', en: 'a restore' },
};

/**
 * Writes that need no turn: a backup reads a consistent snapshot whoever writes meanwhile (VACUUM INTO, and the copy is
 * taken again should another process commit while it is checked) and only appends its audit entry at the end, so a
 * scheduled `cupo backup` never fails because the desktop app is training.
 */
const NO_TURN: ReadonlySet<Method> = new Set<Method>(['backup']);

function doingOf(method: Method): Bilingual {
  return DOING[method] ?? { es: `«${method}»`, en: `"${method}"` };
}

/**
 * Another process may have restored the database (and its key) since this one opened it: the key in use is the one
 * beside the database now, read again at every write (64 bytes).
 */
function refreshKey(ws: Workspace): void {
  const key = loadOrCreateKey(ws.file);
  if (key.fingerprint !== ws.key.fingerprint) ws.key = key;
}

/**
 * Every operation that writes takes the writer's turn on the database for its whole length (db/writer-lock.ts), so
 * two Cupo processes on one database (the desktop app and a scheduled `cupo run`) never interleave their writes: the
 * second waits, saying so, and after a bounded time gives up with one sentence naming who keeps the database busy.
 * Reads never wait. An in-memory database has no other process to share it with.
 */
export function oneWriterAtATime<H extends Record<Method, unknown>>(ws: Workspace, handlers: H): H {
  if (ws.file === ':memory:') return handlers;
  const wrapped: Record<string, Handler> = { ...handlers } as Record<string, Handler>;
  for (const method of METHODS) {
    if (READ_METHODS.has(method) || NO_TURN.has(method)) continue;
    const handler = handlers[method] as Handler;
    wrapped[method] = async (args, call) => {
      const release = await takeWriterTurn(ws.file, {
        doing: doingOf(method),
        signal: call.signal,
        ...(ws.nativeBinding !== undefined ? { nativeBinding: ws.nativeBinding } : {}),
        onWait: (holder) =>
          call.onProgress({
            stage: 'wait',
            done: 0,
            total: 0,
            message: holder
              ? { es: `Esperando a que ${holder.program} termine ${holder.doing.es}…`, en: `Waiting for ${holder.program} to finish ${holder.doing.en}…` }
              : { es: 'Esperando a que otro programa termine de escribir…', en: 'Waiting for another program to finish writing…' },
          }),
      });
      try {
        refreshKey(ws);
        return await handler(args, call);
      } catch (error) {
        // A program that is not Cupo (or a Cupo from before the turn) held SQLite's own lock past its busy timeout.
        if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new UserError(busySentence(null, 5000), 'failed');
        throw error;
      } finally {
        release();
      }
    };
  }
  return wrapped as H;
}
