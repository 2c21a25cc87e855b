/** The host's SQLite schema, one file per domain; drizzle-kit reads them all through this index. */
export * from './accounts';
export * from './chat-search';
export * from './lives';
export * from './messages';
export * from './reaction-history';
export * from './recordings';
export * from './settings';
export * from './sync';
export * from '../../moderation/schema';
