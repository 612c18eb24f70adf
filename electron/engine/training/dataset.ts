import type { WritableDB } from '../db/types';
import { UserError } from '../errors';
import type { Dataset } from '../features/build';
import { ensureFeatures, loadDataset } from '../features/build';
import { ensurePlatinum } from '../snapshots/platinum';

/** The data as it stands now, every derived version brought up to date first (rebuilt only if its inputs moved). */
export function currentDataset(db: WritableDB): Dataset {
  const platinum = ensurePlatinum(db);
  if (!platinum) {
    throw new UserError({
      es: 'Todavía no hay datos: importe primero sus archivos de matrícula, o pruebe con los datos de ejemplo.',
      en: 'There is no data yet: import your enrolment files first, or try the sample data.',
    }, 'failed');
  }
  const { featuresVersion, targetVersion } = ensureFeatures(db, platinum.id);
  return loadDataset(db, platinum.id, featuresVersion, targetVersion);
}
