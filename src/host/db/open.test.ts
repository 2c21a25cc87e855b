import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openHostDatabase } from './open';
import { settings } from './schema/index';

describe('host SQLite file', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-host-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a migrated file in WAL mode with durable commits and foreign keys', () => {
    const dir = freshDir();
    const opened = openHostDatabase(dir);
    expect(existsSync(join(dir, 'studio.sqlite'))).toBe(true);
    expect(opened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(opened.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(opened.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    opened.close();
  });

  it('keeps what was written across a reopen, and migrating twice changes nothing', () => {
    const dir = freshDir();
    const first = openHostDatabase(dir);
    first.db.insert(settings).values({ key: 'language', value: '"fr"' }).run();
    first.close();
    const second = openHostDatabase(dir);
    expect(second.db.select().from(settings).where(eq(settings.key, 'language')).get()).toEqual({
      key: 'language',
      value: '"fr"',
    });
    second.close();
  });
});
