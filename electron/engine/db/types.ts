import type BetterSqlite3 from 'better-sqlite3';

declare const readable: unique symbol;
declare const writable: unique symbol;

/**
 * Branded connections: a function that takes a ReadableDB promises not to write, and the compiler holds it to
 * that promise at every call site (a WritableDB is accepted where a ReadableDB is asked, never the reverse).
 */
export type ReadableDB = BetterSqlite3.Database & { readonly [readable]: true };
export type WritableDB = ReadableDB & { readonly [writable]: true };
