import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Account, AccountsStore } from './accounts-store';
import { openHostDatabase } from './open';
import { keepPrivate } from './private-files';
import { byteSecretBox, plainSecretBox } from './secret-box';

/**
 * A stand-in for the OS keychain, named as such: Electron's safeStorage needs the Electron binary, which cannot
 * run here. It has safeStorage's shape (string → bytes → string) and really encrypts (AES-256-GCM with a key
 * that lives only in this process), so the file's bytes are what a keychain-sealed file would hold.
 */
function standInKeychainBox() {
  const key = randomBytes(32);
  return byteSecretBox(
    (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    (sealed) => {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  );
}

const account: Account = {
  user: {
    id: 7,
    first_name: 'Mariam',
    last_name: 'Diallo',
    profile_picture: null,
    email: 'mariam@example.org',
  },
  token: `access-${randomBytes(24).toString('hex')}`,
  refresh: `refresh-${randomBytes(24).toString('hex')}`,
};

/** Every byte SQLite keeps on disk for this database: the file and its WAL companions. */
function storedBytes(file: string): Buffer {
  return Buffer.concat(
    [file, `${file}-wal`, `${file}-shm`].filter((path) => existsSync(path)).map((path) => readFileSync(path)),
  );
}

describe('the accounts store keeps session tokens out of the SQLite file', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-accounts-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('with a keychain box, the file and its WAL hold neither token, and both read back', () => {
    const database = openHostDatabase(freshDir());
    const store = new AccountsStore(database.db, standInKeychainBox());
    store.save('https://chat.example.org', account);
    const bytes = storedBytes(database.file);
    expect(bytes.includes(account.token)).toBe(false);
    expect(bytes.includes(account.refresh!)).toBe(false);
    expect(bytes.includes('mariam@example.org')).toBe(true); // the check reads the right bytes
    expect(store.get('https://chat.example.org')).toEqual(account);
    database.close();
  });

  it('a token saved in plaintext by an older studio is sealed on first read, leaving no plaintext behind', () => {
    const dir = freshDir();
    const older = openHostDatabase(dir);
    new AccountsStore(older.db, plainSecretBox).save('https://chat.example.org', account);
    older.close();
    expect(storedBytes(older.file).includes(account.token)).toBe(true);

    const database = openHostDatabase(dir);
    const store = new AccountsStore(database.db, standInKeychainBox());
    expect(store.get('https://chat.example.org')).toEqual(account);
    const bytes = storedBytes(database.file);
    expect(bytes.includes(account.token)).toBe(false);
    expect(bytes.includes(account.refresh!)).toBe(false);
    expect(store.get('https://chat.example.org')).toEqual(account);
    database.close();
  });

  it('without a keychain (browser mode) the data directory is 0700 and the files 0600 (POSIX)', () => {
    const dir = freshDir();
    const database = openHostDatabase(dir);
    new AccountsStore(database.db).save('https://chat.example.org', account);
    keepPrivate(dir, database.file);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of [database.file, `${database.file}-wal`])
      expect(statSync(file).mode & 0o777).toBe(0o600);
    database.close();
  });
});
