/** The chat server's Postgres schema, one file per domain; drizzle-kit reads them all through this index. */
export * from './users';
