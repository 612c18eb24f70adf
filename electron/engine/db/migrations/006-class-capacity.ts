import type { WritableDB } from '../types';

/**
 * The seats a class had, where the school's export says so (UVA's `EnrollmentLimit`, an institute's `CUPO`): the
 * forecast can then say when it expects more students than the room holds. NULL is unknown — every class imported
 * before this migration, and every file without such a column — never zero, which would read as a closed room.
 */
export function migration006ClassCapacity(db: WritableDB): void {
  db.exec(`
    ALTER TABLE raw_class ADD COLUMN capacity INTEGER CHECK (capacity >= 0);
    ALTER TABLE platinum_class ADD COLUMN capacity INTEGER CHECK (capacity >= 0);
  `);
}
