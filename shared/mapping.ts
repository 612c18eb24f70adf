import { z } from 'zod';
import { CANONICAL_FIELDS } from './fields';

/**
 * How one canonical field is read from a file: a column name, several columns joined with a space,
 * or a constant for the whole file (a period or a site that the export leaves implicit).
 */
export const FieldSourceSchema = z.union([
  z.string().min(1),
  z.array(z.string().min(1)).min(1),
  z.object({ value: z.string().min(1) }).strict(),
]);
export type FieldSource = z.infer<typeof FieldSourceSchema>;

/**
 * Which rows of a file are read at all: those whose `column` holds one of `values` (compared as written, without
 * the spaces around). Exports often mix kinds of rows — a university's lectures with their discussion sections —
 * and only one kind is the classes to plan. Rows left out are counted, and the import says how many.
 */
export const RowFilterSchema = z
  .object({
    column: z.string().min(1),
    values: z.array(z.string().trim().min(1)).min(1).max(200),
  })
  .strict();
export type RowFilter = z.infer<typeof RowFilterSchema>;

export const ColumnMappingSchema = z
  .object({
    ...(Object.fromEntries(CANONICAL_FIELDS.map((f) => [f, FieldSourceSchema.optional()])) as {
      [K in (typeof CANONICAL_FIELDS)[number]]: z.ZodOptional<typeof FieldSourceSchema>;
    }),
    filter: RowFilterSchema.optional(),
  })
  .strict();
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

/** The columns a mapping reads (its fields' and its filter's). */
export function columnsOf(mapping: ColumnMapping): string[] {
  const named: string[] = [];
  for (const [key, source] of Object.entries(mapping)) {
    if (key === 'filter') {
      if (mapping.filter) named.push(mapping.filter.column);
    } else if (typeof source === 'string') named.push(source);
    else if (Array.isArray(source)) named.push(...source);
  }
  return named;
}

/** A mapping kept by name (shared/reports.ts SavedMapping), as far as matching it with a file's columns goes. */
interface KeptMapping {
  mapping: ColumnMapping;
  /** The columns of the files it was made for. */
  headers: readonly string[];
}

/**
 * Whether a saved mapping suits files with these columns: `same` when they have every column of the files it was
 * made for (the same export, perhaps with a column added since), `compatible` when they have the columns it reads.
 */
export function fit(saved: KeptMapping, headers: readonly string[]): 'same' | 'compatible' | null {
  const have = new Set(headers);
  if (saved.headers.length > 0 && saved.headers.every((h) => have.has(h))) return 'same';
  return columnsOf(saved.mapping).every((c) => have.has(c)) ? 'compatible' : null;
}

/**
 * The saved mapping that applies by itself to files with these columns: the most recent of those made for them
 * (`saved` is listed most recently saved first). The import wizard starts from it; a scheduled run imports with it.
 */
export function mappingMadeFor<T extends KeptMapping>(saved: readonly T[], headers: readonly string[]): T | undefined {
  return saved.find((s) => fit(s, headers) === 'same');
}
