import { sql } from 'drizzle-orm';
import {
  BLOCKED_TERM_MAX_LENGTH,
  BLOCKED_TERMS_MAX,
  type BlockedTermsMatcher,
  compileBlockedTerms,
  normalizeBlockedTerms,
} from '../../shared/blocked-terms';
import { rows, toNumber, type Executor } from '../db/sql';
import { loadLiveAccess, requireStaff } from './access';
import type { Actor, DomainEnv } from './env';
import { LruMap } from './lru';
import { writeLog } from './moderation-log';
import { refuse } from './refusal';
import { inVersionedWrite } from './write';

export type BlockedTermsInput = { postId: number; terms: string[]; reason?: string | undefined };
export type BlockedTermsList = { postId: number; terms: string[]; revision: number };

/**
 * Compiled matchers, per database and live, tagged with the list's revision (posts.blocked_terms_revision).
 * Every send reads the revision with the live anyway, so a list changed through another server process is
 * noticed on the next send: the cache is only ever a shortcut, never a source of truth. Keyed by the database
 * handle so that two databases in one process (tests) never share entries; at most `limits.cachedLives` lives
 * per database, the least recently sent-to forgotten first (a forgotten live's next send rebuilds it).
 */
type Cached = { revision: number; matcher: BlockedTermsMatcher };
const matchers = new WeakMap<object, LruMap<number, Cached>>();

function matchersOf(env: DomainEnv): LruMap<number, Cached> {
  let perLive = matchers.get(env.db);
  if (!perLive) {
    perLive = new LruMap(env.limits.cachedLives);
    matchers.set(env.db, perLive);
  }
  return perLive;
}

/** How many lives' matchers this database's cache holds (tests: the bound holds). */
export const cachedMatcherCount = (env: DomainEnv): number => matchers.get(env.db)?.size ?? 0;

const NO_TERMS: BlockedTermsMatcher = { terms: [], blocks: () => false, found: () => [] };

async function readTerms(db: Executor, postId: number): Promise<string[]> {
  const found = await rows<{ term: string }>(
    db,
    sql`select term from live_blocked_terms where post_id = ${postId} order by term`,
  );
  return found.map((row) => row.term);
}

/** The live's matcher at `revision` (revision 0: the list was never set, nothing to read). */
export async function blockedTermsMatcher(
  env: DomainEnv,
  tx: Executor,
  postId: number,
  revision: number,
): Promise<BlockedTermsMatcher> {
  if (revision === 0) return NO_TERMS;
  const perLive = matchersOf(env);
  const cached = perLive.get(postId);
  if (cached?.revision === revision) return cached.matcher;
  // A list replaced between reading the revision and reading the terms is cached under the older revision:
  // the next send reads the newer revision and rebuilds, so the cache is at worst one send behind.
  const terms = await readTerms(tx, postId);
  const matcher = terms.length === 0 ? NO_TERMS : compileBlockedTerms(terms);
  perLive.set(postId, { revision, matcher });
  return matcher;
}

/** Replaces the live's list (staff only): folded and deduplicated, logged with the counts. */
export async function setBlockedTerms(
  env: DomainEnv,
  actor: Actor,
  input: BlockedTermsInput,
): Promise<BlockedTermsList> {
  const terms = normalizeBlockedTerms(input.terms);
  if (terms.length > BLOCKED_TERMS_MAX)
    refuse('invalid_input', `At most ${BLOCKED_TERMS_MAX} blocked terms.`, {
      errors: { terms: [`Ensure this field has no more than ${BLOCKED_TERMS_MAX} elements.`] },
    });
  if (terms.some((term) => term.length > BLOCKED_TERM_MAX_LENGTH))
    refuse('invalid_input', `A blocked term has at most ${BLOCKED_TERM_MAX_LENGTH} characters.`, {
      errors: { terms: [`Ensure each term has no more than ${BLOCKED_TERM_MAX_LENGTH} characters.`] },
    });
  return inVersionedWrite(env, async (tx) => {
    requireStaff(await loadLiveAccess(tx, input.postId, actor));
    // Bumping the revision first takes the live's row lock: two concurrent replacements of one list run one
    // after the other, and the second one's delete sees the first one's rows (no duplicate-key failure).
    const [row] = await rows<{ blocked_terms_revision: unknown }>(
      tx,
      sql`update posts set blocked_terms_revision = blocked_terms_revision + 1
          where id = ${input.postId} returning blocked_terms_revision`,
    );
    const before = await readTerms(tx, input.postId);
    await tx.execute(sql`delete from live_blocked_terms where post_id = ${input.postId}`);
    if (terms.length > 0)
      await tx.execute(
        sql`insert into live_blocked_terms (post_id, term, created_by) values ${sql.join(
          terms.map((term) => sql`(${input.postId}, ${term}, ${actor.id})`),
          sql`, `,
        )}`,
      );
    const previous = new Set(before);
    const next = new Set(terms);
    await writeLog(tx, {
      postId: input.postId,
      actorId: actor.id,
      action: 'blocked_terms',
      reason: input.reason,
      details: {
        count: terms.length,
        added: terms.filter((term) => !previous.has(term)).length,
        removed: before.filter((term) => !next.has(term)).length,
      },
    });
    return { postId: input.postId, terms, revision: toNumber(row!.blocked_terms_revision) };
  });
}

/** The live's list, for its staff. */
export async function blockedTerms(
  env: DomainEnv,
  actor: Actor,
  input: { postId: number },
): Promise<BlockedTermsList> {
  const access = await loadLiveAccess(env.db, input.postId, actor);
  requireStaff(access);
  return {
    postId: input.postId,
    terms: await readTerms(env.db, input.postId),
    revision: toNumber(access.live.blocked_terms_revision),
  };
}
