import { join } from 'node:path';
import { AccountsStore } from './db/accounts-store';
import { keepPrivate } from './db/private-files';
import type { SecretBox } from './db/secret-box';
import { ChatCache } from './db/chat-cache';
import { ReactionHistoryStore } from './db/reaction-history-store';
import { ReactionOutbox } from './db/reaction-outbox';
import { ChatChanges } from './db/chat-changes';
import { LivesStore } from './db/lives-store';
import { type HostDatabase, openHostDatabase } from './db/open';
import { SettingsStore } from './db/settings-store';
import { UiLanguagePreference } from './preferences/ui-language';
import { createModerationService, type ModerationService } from './moderation/moderation-service';
import { createRecordingService, type RecordingService } from './recording/recording-service';
import type { EmbeddedServerOptions } from './server-link/embedded';
import { ServerLink } from './server-link/link';
import { accountCredentials } from './server-link/session-renewal';
import { RecordingUploader, type RecordingUploaderOptions } from './server-copy/recording-uploader';
import { UploadPreferences } from './server-copy/upload-settings';
import type { BackoffOptions } from './sync/backoff';
import { SyncEngine } from './sync/engine';
import { StatusBoard } from './sync/status';

export type HostOptions = {
  dataDir: string;
  recordingsDir?: string | undefined;
  serverUrl?: string | undefined;
  /** Where the embedded chat server listens: loopback unless the user opened it to the LAN. */
  embeddedServer?: Omit<EmbeddedServerOptions, 'dataDir'> | undefined;
  /** Reconnect pacing (tests shorten it). */
  backoff?: BackoffOptions | undefined;
  pullPageSize?: number | undefined;
  /** How session tokens are kept at rest: the OS keychain in Electron; absent (browser mode): as they are. */
  secretBox?: SecretBox | undefined;
  /** Upload pacing (tests send small chunks and flush sooner). */
  upload?: Pick<RecordingUploaderOptions, 'chunkBytes' | 'flushAfterMs' | 'backoff'> | undefined;
};

/**
 * The desktop core: owner of the local state (SQLite cache, recordings) and of the link to the chat server.
 * Runs in Electron's main process and, unchanged, as a plain Node process (`npm run host`).
 */
export type Host = {
  version: string;
  dataDir: string;
  database: HostDatabase;
  /** Chat cache and outbox (SQLite). */
  chat: ChatCache;
  /** Reactions given here, shown at once, sent by the sync session (issue 16). */
  reactions: ReactionOutbox;
  /** When and by whom each reaction was given and taken back, copied from the server (replay, names). */
  reactionHistory: ReactionHistoryStore;
  lives: LivesStore;
  accounts: AccountsStore;
  settings: SettingsStore;
  /** The studio's language, as the renderer last said (the Electron menu follows it). */
  language: UiLanguagePreference;
  /** Connection status for the renderer. */
  status: StatusBoard;
  /** The sync engine; `sync.clockOffsetMs()` is the server clock − local clock, for recordings. */
  sync: SyncEngine;
  /** The chosen chat server (embedded or remote). */
  link: ServerLink;
  /** Recordings on this computer (src/host/recording). */
  recordings: RecordingService;
  /** Sends recordings to their live's server while they record and once back online (src/host/server-copy). */
  uploads: RecordingUploader;
  uploadPreferences: UploadPreferences;
  /** Moderation actions: outbox applied to the server when online (src/host/moderation). */
  moderation: ModerationService;
  close(): Promise<void>;
};

export const HOST_VERSION = '0.1.0';

export async function createHost(options: HostOptions): Promise<Host> {
  const database = openHostDatabase(options.dataDir);
  // Tokens, chat and recordings' metadata are the user's own: nobody else on the machine reads them.
  keepPrivate(options.dataDir, database.file);
  const recordings = createRecordingService({
    database,
    directory: options.recordingsDir ?? join(options.dataDir, 'recordings'),
  });
  const chat = new ChatCache(database.sqlite, new ChatChanges());
  const reactions = new ReactionOutbox(database.sqlite, chat.changes);
  const reactionHistory = new ReactionHistoryStore(database.sqlite);
  const lives = new LivesStore(database.db);
  const accounts = new AccountsStore(database.db, options.secretBox);
  const settings = new SettingsStore(database.db);
  const status = new StatusBoard();
  const sync = new SyncEngine({
    cache: chat,
    reactions,
    reactionHistory,
    lives,
    accounts,
    status,
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.pullPageSize ? { pullPageSize: options.pullPageSize } : {}),
  });
  const link = new ServerLink({
    dataDir: options.dataDir,
    settings,
    accounts,
    engine: sync,
    presetServerUrl: options.serverUrl,
    ...(options.embeddedServer ? { embedded: options.embeddedServer } : {}),
  });
  const moderation = createModerationService({
    sqlite: database.sqlite,
    chat,
    lives,
    accounts,
    status,
    target: () => sync.target,
  });
  const uploadPreferences = new UploadPreferences(settings);
  const uploads = new RecordingUploader({
    recordings,
    preferences: uploadPreferences,
    target: () => sync.target,
    credentials: (target) => accountCredentials(accounts, target.serverKey, target.url),
    ...options.upload,
  });
  try {
    await link.start();
  } catch (error) {
    // A saved choice that cannot start (e.g. a bad URL) must not keep the studio from opening: the user picks again.
    status.update({ last_error: (error as Error).message });
  }
  uploads.start();
  return {
    version: HOST_VERSION,
    dataDir: options.dataDir,
    database,
    chat,
    reactions,
    reactionHistory,
    lives,
    accounts,
    settings,
    language: new UiLanguagePreference(settings),
    status,
    sync,
    link,
    recordings,
    uploads,
    uploadPreferences,
    moderation,
    close: async () => {
      await uploads.close();
      await moderation.close();
      await recordings.close();
      await link.close();
      database.close();
    },
  };
}
