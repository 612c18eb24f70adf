import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, session } from 'electron';
import type { EngineClient } from './engine/host/client';
import { resolveDatabasePath } from './engine/db/location';
import { startEngineProcess } from './shell/engine-process';
import { confineContents, denyPermissions, enforceContentSecurityPolicy, registerPreload } from './shell/guards';
import { serveWindow } from './shell/ipc';
import { electronNotifier } from './shell/notifier';
import { registerAppScheme, serveInterface } from './shell/protocol';
import { openMainWindow } from './shell/window';

/**
 * The desktop app's main process: a window, the engine in a utility process, and the IPC between them. It holds
 * no logic of the product; that lives in the engine, shared with the CLI and the browser mode.
 */
const appRoot = app.getAppPath();
const built = path.join(appRoot, 'dist');

app.enableSandbox();
registerAppScheme();
app.on('web-contents-created', (_event, contents) => confineContents(contents));

function start(): void {
  const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-exports-'));
  let engine: EngineClient | null = null;
  // Started with the window and again on the next call should it ever stop.
  const runningEngine = (): EngineClient => {
    if (engine?.alive) return engine;
    engine = startEngineProcess(path.join(built, 'electron', 'engine.mjs'), {
      databaseFile: resolveDatabasePath(undefined),
      exportsDir,
      // `npm start` runs the app from the repository with a better-sqlite3 built for Electron beside the Node one.
      ...(!app.isPackaged && process.env.CUPO_SQLITE_BINDING ? { sqliteBinding: process.env.CUPO_SQLITE_BINDING } : {}),
    });
    return engine;
  };

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession);
    enforceContentSecurityPolicy(session.defaultSession);
    registerPreload(session.defaultSession, path.join(built, 'electron', 'preload.cjs'));
    serveInterface(path.join(built, 'renderer'));
    const window = openMainWindow();
    // New critical and high alerts become system notifications (Settings can turn them off); a click shows the app.
    const notifier = electronNotifier(() => {
      if (window.isDestroyed()) return;
      if (window.isMinimized()) window.restore();
      window.focus();
    });
    serveWindow({ window, engine: runningEngine, exportsDir, notifier });
    runningEngine();
    app.on('second-instance', () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    });
  });
  app.on('window-all-closed', () => app.quit());
  // The engine finishes the step it is on and closes the database before the app goes.
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void (engine?.close() ?? Promise.resolve()).finally(() => {
      fs.rmSync(exportsDir, { recursive: true, force: true });
      app.quit();
    });
  });
}

// A second launch brings the running window forward instead of opening the database twice.
if (app.requestSingleInstanceLock()) start();
else app.quit();
