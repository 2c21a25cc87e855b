import { sql } from 'drizzle-orm';
import { pgSequence } from 'drizzle-orm/pg-core';

/**
 * ONE sequence numbers every change of a chat row (messages and lives): a pull by `version > cursor` then
 * returns new messages and moderation changes alike, in one order (design §3).
 */
export const chatVersionSeq = pgSequence('chat_version_seq', { startWith: 1, increment: 1 });

/** The SQL that draws the next version; used as a column default and in every UPDATE that changes a row. */
export const nextVersion = sql`nextval('chat_version_seq')`;
