import { openServerDatabase } from '../../src/server/db/client';

/** `#00042 — historique du live`: numbered so that order can be checked, and no number is a prefix of another. */
export function historyText(n: number): string {
  return `#${String(n).padStart(5, '0')} — historique du live`;
}

/**
 * A long chat history written straight into a stopped chat server's PGlite database (the REST API would take
 * minutes at the rate limit, and what is tested is the studio's sync, not sends). Message n is n seconds
 * after message 1, the newest a minute ago; versions come from the server's own sequence.
 */
export async function seedHistory(dataDir: string, liveId: number, authorId: number, count: number) {
  const database = await openServerDatabase({ dataDir });
  try {
    await database.query(
      `insert into chat_messages (post_id, author_id, client_id, content, created_at)
       select $1, $2, gen_random_uuid(), '#' || lpad(g::text, 5, '0') || ' — historique du live',
         now() - make_interval(secs => $3 - g + 60)
       from generate_series(1, $3) g`,
      [liveId, authorId, count],
    );
  } finally {
    await database.close();
  }
}
