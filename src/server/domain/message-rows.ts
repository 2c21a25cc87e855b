import { sql } from 'drizzle-orm';
import { type Executor, firstRow } from '../db/sql';
import { MESSAGE_COLUMNS, type MessageRow } from './mappers';

/** One message with its author's names, as every mapper takes it (moderation and reactions answer with it). */
export function readMessageRow(tx: Executor, messageId: number): Promise<MessageRow | undefined> {
  return firstRow<MessageRow>(
    tx,
    sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
        where m.id = ${messageId}`,
  );
}
