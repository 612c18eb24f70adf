import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { app, dialog, ipcMain } from 'electron';
import { z } from 'zod';
import type { Uploaded } from '../../shared/bridge';
import { channelOf } from '../../shared/bridge';
import type { CallResult } from '../../shared/contract';
import { CONTRACT, METHODS, invalidArguments } from '../../shared/contract';
import type { EngineClient } from '../engine/host/client';
import { exportedFile } from '../engine/host/exports';
import type { FileTable } from '../engine/host/call';
import type { Notifier } from '../engine/host/notices';
import { alertNotices } from '../engine/host/notices';
import { isAppUrl } from './protocol';

export interface IpcContext {
  window: BrowserWindow;
  /** The running engine (restarted by the caller if it died). */
  engine: () => EngineClient;
  exportsDir: string;
  /** Where new critical and high alerts are told (the system's notifications); none: not told. */
  notifier?: Notifier;
}

const CallId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const ExportId = z.string().regex(/^x-[0-9a-f]{16}$/);
const FileName = z.string().min(1).max(255).regex(/^[^/\\]+$/);
const ChosenPath = z.string().min(1).max(4096).refine((p) => path.isAbsolute(p), 'an absolute path from the file chooser');

const refused: CallResult<never> = {
  ok: false,
  error: { code: 'invalid_arguments', message: { es: 'Solicitud rechazada: no viene de la ventana de Cupo.', en: 'Request refused: it does not come from the Cupo window.' } },
};

/** Only the app's own window, its top frame, showing the app's own pages, may ask anything of the main process. */
function fromOurWindow(window: BrowserWindow, event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return !window.isDestroyed() && event.sender === window.webContents && frame !== null && frame === window.webContents.mainFrame && isAppUrl(frame.url);
}

/**
 * The single IPC wrapper: every channel is registered through it, so every message is checked for its sender
 * and its arguments (against the channel's schema, the contract's for operations) before anything runs.
 */
function handle<S extends z.ZodType>(window: BrowserWindow, channel: string, schema: S, run: (args: z.output<S>) => Promise<CallResult<unknown>>): void {
  ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
    if (!fromOurWindow(window, event)) return refused;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: invalidArguments(channel, parsed.error) };
    return run(parsed.data);
  });
}

export function serveWindow({ window, engine, exportsDir, notifier }: IpcContext): void {
  const files: FileTable = {};
  const running = new Map<number, () => void>();
  // Every result passes here on its way to the window: the new serious alerts it carries are told once.
  const notices = notifier
    ? alertNotices(notifier, async () => {
        const current = await engine().call('getSettings', {});
        return current.ok ? current.value : null;
      })
    : null;

  for (const method of METHODS) {
    handle(window, channelOf(method), z.tuple([CONTRACT[method].args, CallId]), async ([args, callId]) => {
      const current = engine();
      const { id, result } = current.send(method, args, {
        files: { ...files },
        onProgress: (event) => !window.isDestroyed() && window.webContents.send(channelOf('progress'), callId, event),
      });
      running.set(callId, () => current.cancel(id));
      try {
        const answer = await result;
        if (notices) void notices(method, answer).catch(() => undefined);
        return answer;
      } finally {
        running.delete(callId);
      }
    });
  }

  handle(window, channelOf('cancel'), z.tuple([CallId]), async ([callId]) => {
    running.get(callId)?.();
    return { ok: true, value: null };
  });

  handle(window, channelOf('addFile'), z.tuple([ChosenPath]), async ([chosen]) => {
    const stat = fs.statSync(chosen, { throwIfNoEntry: false });
    if (!stat?.isFile()) return { ok: false, error: { code: 'refused', message: { es: `No se puede leer ${chosen}: elija un archivo.`, en: `Cannot read ${chosen}: choose a file.` } } };
    const fileId = `f-${randomBytes(8).toString('hex')}`;
    files[fileId] = { path: chosen, name: path.basename(chosen) };
    const uploaded: Uploaded = { fileId, name: path.basename(chosen), size: stat.size };
    return { ok: true, value: uploaded };
  });

  handle(window, channelOf('saveExport'), z.tuple([ExportId, FileName]), async ([exportId, fileName]) => {
    const source = exportedFile(exportsDir, exportId, fileName);
    if (!source) return { ok: false, error: { code: 'refused', message: { es: 'Esa exportación ya no existe: vuelva a exportar.', en: 'That export no longer exists: export again.' } } };
    const extension = path.extname(fileName).slice(1);
    const { canceled, filePath } = await dialog.showSaveDialog(window, {
      defaultPath: path.join(app.getPath('downloads'), fileName),
      filters: [{ name: extension === 'xlsx' ? 'Excel' : extension === 'pdf' ? 'PDF' : 'CSV', extensions: [extension] }],
    });
    if (canceled || !filePath) return { ok: true, value: false };
    fs.copyFileSync(source, filePath);
    return { ok: true, value: true };
  });
}
