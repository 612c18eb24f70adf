import type { WritableDB } from '../types';

/**
 * What a backtest fold promised beyond its class-level error, kept so that the Models screen, the model card and
 * the CLI can show it for any past run, not only right after training: the error of the forecast added up per
 * course at each site and per site, and how many served classes fell inside their 80 % interval (of how many
 * had one). NULL for runs recorded before this migration: they were never measured, and nothing is made up.
 */
export function migration005FoldDetail(db: WritableDB): void {
  db.exec(`
    ALTER TABLE run_metric ADD COLUMN course_wape REAL;
    ALTER TABLE run_metric ADD COLUMN site_wape REAL;
    ALTER TABLE run_metric ADD COLUMN covered INTEGER CHECK (covered >= 0);
    ALTER TABLE run_metric ADD COLUMN intervals INTEGER CHECK (intervals >= 0 AND intervals >= covered);
  `);
}
