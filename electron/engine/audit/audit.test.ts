import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../testing/fixtures';
import { AUTOMATIC, currentUser, listAudit, recordAudit } from './audit';

const ws = tempWorkspace();
afterAll(() => ws.close());

describe('the audit log', () => {
  it('attributes acts to the OS user and machine by default', () => {
    expect(currentUser()).toBe(`${os.userInfo().username}@${os.hostname()}`);
    recordAudit(ws.db, { what: 'import', details: { file: 'matriculas.csv' }, to: 'platinum-1' });
    expect(listAudit(ws.db)[0]).toMatchObject({ what: 'import', who: currentUser(), from: null, to: 'platinum-1', reason: null, details: { file: 'matriculas.csv' } });
  });

  it('keeps a person’s words as typed and the engine’s in both languages, newest first, filtered by act', () => {
    recordAudit(ws.db, { what: 'settings_changed', who: 'ana@pc', from: '{"minClassSize":8}', to: '{"minClassSize":10}', reason: 'Aulas más grandes' });
    recordAudit(ws.db, { what: 'rollback', who: AUTOMATIC, reason: { es: 'Peor de lo prometido.', en: 'Worse than promised.' } });
    const log = listAudit(ws.db);
    expect(log.map((e) => e.what)).toEqual(['rollback', 'settings_changed', 'import']);
    expect(log[0]!.reason).toEqual({ es: 'Peor de lo prometido.', en: 'Worse than promised.' });
    expect(log[1]!.reason).toEqual({ es: 'Aulas más grandes', en: 'Aulas más grandes' });
    expect(listAudit(ws.db, { what: ['settings_changed', 'import'], limit: 1 }).map((e) => e.what)).toEqual(['settings_changed']);
  });

  it('cannot be edited or deleted', () => {
    expect(() => ws.db.prepare(`UPDATE audit_log SET who = 'nadie' WHERE id = 1`).run()).toThrow(/append-only/);
    expect(() => ws.db.prepare(`DELETE FROM audit_log WHERE id = 1`).run()).toThrow(/append-only/);
    expect(listAudit(ws.db)).toHaveLength(3);
  });
});
