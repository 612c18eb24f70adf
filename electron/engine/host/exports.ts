import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Exports are written by the engine into a folder of their own under the host's exports directory and handed
 * to the user by id (a browser download, a save dialog): the renderer never names a path.
 */
export function newExportFile(exportsDir: string, fileName: string): { exportId: string; file: string } {
  const exportId = `x-${randomBytes(8).toString('hex')}`;
  const dir = path.join(exportsDir, exportId);
  fs.mkdirSync(dir, { recursive: true });
  return { exportId, file: path.join(dir, fileName) };
}

/** Where an export was written, or null when the id or name is not one the engine gave out. */
export function exportedFile(exportsDir: string, exportId: string, fileName: string): string | null {
  if (!/^x-[0-9a-f]{16}$/.test(exportId) || fileName !== path.basename(fileName)) return null;
  const file = path.join(exportsDir, exportId, fileName);
  return fs.existsSync(file) ? file : null;
}
