/** The host's SQLite schema, one file per domain; drizzle-kit reads them all through this index. */
export * from './settings';
