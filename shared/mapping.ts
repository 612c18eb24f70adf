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
