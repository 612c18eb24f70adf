import type Database from 'better-sqlite3';
import type { WritableDB } from './types';

const ROWS_PER_STATEMENT = 100;

/**
 * Inserts rows many at a time (one INSERT with a hundred VALUES tuples): for the hundreds of thousands of rows
 * an import or a derived version writes, the per-statement overhead is most of the cost. The caller holds the
 * transaction.
 */
export class BatchInsert {
  private readonly full: Database.Statement;
  private readonly pending: unknown[] = [];
  private readonly width: number;

  constructor(
    private readonly db: WritableDB,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.width = columns.length;
    this.full = db.prepare(this.sql(ROWS_PER_STATEMENT));
  }

  private sql(rows: number): string {
    const tuple = `(${this.columns.map(() => '?').join(', ')})`;
    return `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
  }

  add(...values: unknown[]): void {
    this.pending.push(...values);
    if (this.pending.length === ROWS_PER_STATEMENT * this.width) {
      this.full.run(this.pending);
      this.pending.length = 0;
    }
  }

  /** Writes what is left; call once after the last add. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.db.prepare(this.sql(this.pending.length / this.width)).run(this.pending);
    this.pending.length = 0;
  }
}
