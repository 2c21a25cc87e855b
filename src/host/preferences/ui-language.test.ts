import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHostDatabase } from '../db/open';
import { SettingsStore } from '../db/settings-store';
import { UiLanguagePreference } from './ui-language';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(dir: string) {
  const database = openHostDatabase(dir);
  return { database, language: new UiLanguagePreference(new SettingsStore(database.db)) };
}

describe('the UI language the host remembers (the Electron menu follows it)', () => {
  it('is unknown until told, then kept in the SQLite file across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lang-'));
    dirs.push(dir);
    const first = open(dir);
    expect(first.language.current()).toBeNull();
    first.language.set('en');
    expect(first.language.current()).toBe('en');
    first.database.close();

    const second = open(dir);
    expect(second.language.current()).toBe('en');
    second.database.close();
  });

  it('tells its listeners of a change, once, and not of the same language again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lang-'));
    dirs.push(dir);
    const { database, language } = open(dir);
    const heard: string[] = [];
    const stop = language.onChange((value) => heard.push(value));
    language.set('en');
    language.set('en');
    language.set('fr');
    stop();
    language.set('en');
    expect(heard).toEqual(['en', 'fr']);
    database.close();
  });
});
