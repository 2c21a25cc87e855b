import type { Server } from 'node:http';
import type pg from 'pg';

/** The pieces every bare node:http + pg baseline shares: no framework, only what the answer needs. */

/** A chat_messages ⋈ users row as the REST answers carry it (`{id, content, timestamp, author}`). */
export type BaselineMessageRow = {
  id: string;
  content: string;
  created_at: Date;
  author_id: string;
  first_name: string;
  last_name: string;
  profile_picture: string | null;
};

export function baselineRestMessage(row: BaselineMessageRow) {
  return {
    id: Number(row.id),
    content: row.content,
    timestamp: row.created_at.toISOString(),
    author: {
      id: Number(row.author_id),
      first_name: row.first_name,
      last_name: row.last_name,
      profile_picture: row.profile_picture,
    },
  };
}

/** Listens on a free loopback port, prints the line spawnNode waits for, and ends the pool on SIGTERM. */
export function serveOnLoopback(server: Server, pool: pg.Pool): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    console.info(`listening on http://127.0.0.1:${address.port}`);
  });
  process.once('SIGTERM', () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  });
}
