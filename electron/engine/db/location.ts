import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Cupo';

/**
 * The same folder Electron's app.getPath('userData') gives for an app named Cupo, so the CLI, the browser mode
 * and the desktop app find one database without being told.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** `--db PATH` wins, then CUPO_DB, then the per-user default. */
export function resolveDatabasePath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.CUPO_DB;
  return chosen ? path.resolve(chosen) : path.join(userDataDir(env), 'cupo.sqlite');
}

/**
 * The pseudonymisation key's file, beside the database (ingest/pseudonymise.ts reads and writes it): a database
 * travels with its key, so whatever copies or restores a database (db/backup.ts) takes this file along.
 */
export function keyFileFor(dbFile: string): string {
  return `${dbFile}.key`;
}
