import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { type Executor, postgresPoolOf, rows } from '../db/sql';
import type { DomainEnv } from './env';
import { inLockedVersionedWrite } from './write';

/** What the batch decided after reading: the statement that writes it (SQL text, values inlined), or none. */
export type SendPlan<W> = {
  write: string | null;
  /** Runs inside the transaction after the write (publishing notices without an announcer): costs a round trip. */
  beforeCommit?: ((written: W[], tx: Executor) => Promise<void>) | undefined;
};

/**
 * The send batch's transaction, in as few round trips as the driver allows. Round trips are what a busy
 * machine makes expensive (each one waits for a Postgres backend and then for the event loop to be scheduled),
 * so on a Postgres pool the batch is sent as two simple-protocol messages:
 *   1. `begin; set local jit = off; <transaction id + author locks>; <reads>` (each statement takes its own
 *      snapshot, so the reads see everything committed before the locks were granted),
 *   2. `<write>; commit`.
 * Values are inlined with pg's escapeLiteral: the simple protocol takes no parameters. On PGlite (in-process,
 * no round trips) and inside an outer transaction it is an ordinary drizzle transaction.
 */
export async function inSendTransaction<R, W, P extends SendPlan<W>>(
  env: DomainEnv,
  lock: { namespace: number; keys: number[] },
  reads: string,
  plan: (found: R[], tx: Executor) => Promise<P>,
): Promise<{ plan: P; written: W[] }> {
  const pool = postgresPoolOf(env.db);
  if (!pool)
    return inLockedVersionedWrite(env, lock.namespace, lock.keys, async (tx) => {
      const decided = await plan(await rows<R>(tx, sql.raw(reads)), tx);
      const written = decided.write ? await rows<W>(tx, sql.raw(decided.write)) : [];
      await decided.beforeCommit?.(written, tx);
      return { plan: decided, written };
    });

  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const opened = (await client.query(`${opening(lock)}; ${reads}`)) as unknown as pg.QueryResult[];
    const tx = drizzle(client) as unknown as Executor;
    const decided = await plan(opened[3]!.rows as R[], tx);
    let written: W[] = [];
    if (decided.beforeCommit) {
      if (decided.write) written = (await client.query(decided.write)).rows as W[];
      await decided.beforeCommit(written, tx);
      await client.query('commit');
    } else if (decided.write) {
      const done = (await client.query(`${decided.write}; commit`)) as unknown as pg.QueryResult[];
      written = done[0]!.rows as W[];
    } else {
      await client.query('commit');
    }
    return { plan: decided, written };
  } catch (error) {
    broken = await rollBack(client);
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * A batch that needs no decision between reading and writing (send-fast-path.ts): `begin`, locks, the one
 * statement and `commit` in ONE round trip. Returns that statement's rows. Postgres pools only (else null).
 */
export async function inOneShotTransaction<W>(
  env: DomainEnv,
  lock: { namespace: number; keys: number[] },
  statement: string,
): Promise<W[] | null> {
  const pool = postgresPoolOf(env.db);
  if (!pool) return null;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const done = (await client.query(
      `${opening(lock)}; ${statement}; commit`,
    )) as unknown as pg.QueryResult[];
    return done[3]!.rows as W[];
  } catch (error) {
    broken = await rollBack(client);
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * `begin`, then the transaction id before any version is drawn (write.ts, horizon.ts) and the locks in
 * ascending order. No JIT: the planner cannot see how few rows json_to_recordset yields, and on a long chat
 * its estimates pass jit_above_cost: compiling then takes ~70 ms for a statement that runs in under one.
 * Three statements: the caller's come fourth.
 */
function opening(lock: { namespace: number; keys: number[] }): string {
  const keys = [...new Set(lock.keys.map((key) => Math.trunc(key)))].sort((a, b) => a - b);
  return `begin;
    set local jit = off;
    select pg_current_xact_id(), pg_advisory_xact_lock(${Math.trunc(lock.namespace)}, k)
      from unnest('{${keys.join(',')}}'::int[]) k order by k`;
}

/** After a failed statement the transaction is aborted: roll it back; returns the error of a connection that cannot. */
async function rollBack(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('rollback');
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** A value inside the batch's SQL text (see inSendTransaction): a JSON document as a quoted literal. */
export function jsonLiteral(value: unknown): string {
  return `${pg.escapeLiteral(JSON.stringify(value))}::json`;
}
