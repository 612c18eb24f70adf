/**
 * How a student is stored: never by id, only as a keyed hash (HMAC-SHA-256 of the trimmed, upper-cased id, see
 * ingest/pseudonymise.ts), of which this many bytes are kept: 128 bits, so two students of one institute never
 * collide. A class's roster is its students' pseudonyms side by side, PSEUDONYM_BYTES each.
 */
export const PSEUDONYM_BYTES = 16;
