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

export const ColumnMappingSchema = z
  .object(Object.fromEntries(CANONICAL_FIELDS.map((f) => [f, FieldSourceSchema.optional()])) as {
    [K in (typeof CANONICAL_FIELDS)[number]]: z.ZodOptional<typeof FieldSourceSchema>;
  })
  .strict();
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;
