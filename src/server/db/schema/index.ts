/** The chat server's Postgres schema, one file per domain; drizzle-kit reads them all through this index. */
export * from './versions';
export * from './users';
export * from './lives';
export * from './chat';
export * from './moderation';
export * from './recordings';
