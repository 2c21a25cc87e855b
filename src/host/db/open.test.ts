import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_MIGRATIONS_DIR, openHostDatabase } from './open';
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

  it('an older file gets its recordings keyed by the server that holds their chat (migration 0007)', () => {
    // The migrations as an older studio shipped them: up to 0006.
    const olderMigrations = freshDir();
    cpSync(HOST_MIGRATIONS_DIR, olderMigrations, { recursive: true });
    const journalFile = join(olderMigrations, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
    journal.entries = journal.entries.filter((entry: { tag: string }) => entry.tag < '0007');
    writeFileSync(journalFile, JSON.stringify(journal));
    const dir = freshDir();
    const older = openHostDatabase(dir, olderMigrations);
    older.sqlite
      .prepare(
        `insert into recordings (id, live_id, started_at, mime, ext, status) values (?, 4, '2026-03-01T20:00:00Z', 'video/webm', 'webm', 'ready')`,
      )
      .run('44444444-4444-4444-8444-444444444444');
    // Rows as that studio wrote them (its columns: today's ChatCache needs later migrations).
    const insert = older.sqlite.prepare(
      `insert into messages (server_key, live_id, client_id, server_id, version, status, author_id,
         author_first_name, author_last_name, content, created_at, sort_key)
       values (?, 4, ?, ?, ?, 'sent', 9, 'Inès', 'Diallo', ?, '2026-03-01T20:00:05.000Z', ?)`,
    );
    const uuid = (id: number) => `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
    for (const id of [1, 2]) insert.run('https://chat.example.org', uuid(id), id, id, `m${id}`, id);
    insert.run('embedded', uuid(3), 3, 3, 'm3', 3);
    older.close();

    const migrated = openHostDatabase(dir);
    expect(migrated.sqlite.prepare('select server_key from recordings where live_id = 4').get()).toEqual({
      server_key: 'https://chat.example.org',
    });
    migrated.close();
  });
});
