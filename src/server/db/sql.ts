import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import type { ServerDb } from './client';

/** A database or an open transaction: domain functions take either, so they compose inside one transaction. */
export type Executor = ServerDb;

/** The pg Pool behind a database, or null (PGlite, or an open transaction): for pg-only fast paths. */
export function postgresPoolOf(executor: Executor): pg.Pool | null {
  const client = (executor as unknown as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
}

/** Runs raw SQL (hot paths, CTEs drizzle cannot express) and returns its rows on both pg and PGlite. */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function firstRow<T>(executor: Executor, query: SQL): Promise<T | undefined> {
  return (await rows<T>(executor, query))[0];
}

/** pg returns bigint columns as strings (they may exceed 2^53); our ids and versions stay far below. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}
