import type Database from 'better-sqlite3';
import type { CachedMessage } from '../../shared/wire';
import { toCachedMessage } from '../db/chat-cache';

const statements = new WeakMap<Database.Database, Database.Statement>();

/** Every cached message of one live, in the server's order (local drafts last), for the exports. */
export function liveChat(sqlite: Database.Database, serverKey: string, liveId: number): CachedMessage[] {
  let statement = statements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(
      'select * from messages where server_key = ? and live_id = ? order by sort_key',
    );
    statements.set(sqlite, statement);
  }
  return (statement.all(serverKey, liveId) as Parameters<typeof toCachedMessage>[0][]).map(toCachedMessage);
}
