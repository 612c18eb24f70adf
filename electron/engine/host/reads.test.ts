import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDB } from '../db/types';
import { makeForecast } from '../forecast/forecast';
import { importFiles } from '../snapshots/import-files';
import { demoFiles, tempWorkspace } from '../testing/fixtures';
import { train } from '../training/train';
import type { Workspace } from '../workspace';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { READ_METHODS } from '../../../shared/contract';

const ws = tempWorkspace();
beforeAll(async () => {
  await importFiles(ws.db, demoFiles().map((file) => ({ file })), { key: ws.key });
  await train(ws.db, { candidates: ['last_value'], backtestPeriods: 1 });
  await makeForecast(ws.db);
});
afterAll(() => ws.close());

describe('the read operations', () => {
  it('run on the read-only connection alone: none of them reaches the writing one', async () => {
    const untouchable = new Proxy({}, {
      get: (_target, property) => {
        throw new Error(`a read operation used the writing connection (${String(property)})`);
      },
    }) as WritableDB;
    const readOnly: Workspace = { db: untouchable, reader: ws.reader, file: ws.file, key: ws.key, backup: null, close: () => undefined };
    const handlers = createHandlers(readOnly, path.join(ws.dir, 'exports'));
    const fileId = 'f-00000000000000aa';
    const args: Record<string, unknown> = { previewFile: { fileId }, exportForecast: { format: 'csv' } };
    const call = { files: { [fileId]: { path: demoFiles()[0]!, name: 'demo.csv' } }, onProgress: () => undefined, signal: new AbortController().signal };
    for (const method of READ_METHODS) {
      const result = await dispatch(handlers, method, args[method] ?? {}, call);
      expect(result.ok, `${method}: ${JSON.stringify(result)}`).toBe(true);
    }
  });

  it('have a connection SQLite itself will not let write', () => {
    expect(() => ws.reader.prepare(`DELETE FROM training_run`).run()).toThrow(/readonly/i);
  });
});
