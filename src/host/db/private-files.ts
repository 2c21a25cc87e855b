import { chmodSync, existsSync } from 'node:fs';

/**
 * The data directory is the user's alone (0700) and so are the SQLite file and its WAL companions (0600):
 * in browser mode, where no keychain seals the tokens, this is what keeps them from other accounts on the
 * machine. On Windows chmod only toggles read-only; there the per-user profile folder does the same job.
 */
export function keepPrivate(dataDir: string, databaseFile: string): void {
  if (process.platform === 'win32') return;
  chmodSync(dataDir, 0o700);
  for (const file of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`])
    if (existsSync(file)) chmodSync(file, 0o600);
}
