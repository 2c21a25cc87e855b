import type { RestMessage } from '../../shared/wire';
import { toNumber } from '../db/sql';
import {
  type Audience,
  FILTERS,
  LIVE_FOR_PAGE,
  PAGE_COLUMNS,
  type PageRow,
  run,
  type Statement,
  toRestMessage,
} from './chat-pages';
import type { Actor, DomainEnv } from './env';
import { LIVE_NOT_FOUND, refuse } from './refusal';

/** Rows per read: large enough that a 100,000-message history is 50 index range reads, small in memory. */
export const HISTORY_BATCH = 2000;

const HISTORY_STATEMENTS = Object.fromEntries(
  (['staff', 'viewer'] as const).map((audience) => [
    audience,
    {
      name: `chat_history_${audience}`,
      text: `select ${PAGE_COLUMNS} from chat_messages m join users u on u.id = m.author_id
        where m.post_id = $1 and ${FILTERS[audience]} and m.id > $2 order by m.id limit $3`,
    },
  ]),
) as Record<Audience, Statement>;

/**
 * A live's whole chat, oldest first, as the web client's history call reads it (one array), in batches read by
 * keyset so that the server never holds more than one batch: the caller writes each batch before the next is
 * read. The live and the caller's audience are checked before the first batch, so an unknown live is a 404,
 * not a broken stream. The visibility rule is the pages' own (chat-pages.ts FILTERS).
 */
export async function openHistory(
  env: DomainEnv,
  actor: Actor,
  postId: number,
): Promise<AsyncGenerator<RestMessage[]>> {
  const [live] = await run<{ host_id: unknown; is_moderator: boolean }>(env.db, LIVE_FOR_PAGE, [
    postId,
    actor.id,
  ]);
  if (!live) refuse('not_found', LIVE_NOT_FOUND);
  const audience: Audience = toNumber(live.host_id) === actor.id || live.is_moderator ? 'staff' : 'viewer';
  return (async function* batches() {
    let after = 0;
    for (;;) {
      const found = await run<PageRow>(env.db, HISTORY_STATEMENTS[audience], [postId, after, HISTORY_BATCH]);
      if (found.length === 0) return;
      yield found.map((row) => toRestMessage(row, actor.id));
      if (found.length < HISTORY_BATCH) return;
      after = toNumber(found[found.length - 1]!.id);
    }
  })();
}

/** The batches as the chunks of one JSON array: `[`, the messages comma-separated, `]`. */
export async function* historyJsonChunks(batches: AsyncIterable<RestMessage[]>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const body = batch.map((message) => JSON.stringify(message)).join(',');
    yield first ? body : `,${body}`;
    first = false;
  }
  yield ']';
}
