import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

/**
 * better-sqlite3 is a native module: built for Node by `npm install` (tests, `npm run host`), it must be rebuilt
 * for Electron's ABI before Electron can load it. `node scripts/rebuild-native.mjs electron` does that with
 * @electron/rebuild (4.x, pinned) — only where the Electron binary exists; elsewhere it says so in one line and
 * succeeds, so it never breaks an install. `… node` puts the Node build back (for tests after running the app).
 * A marker remembers which ABI is built, so repeated `npm start`s do not recompile (75–105 s here).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const marker = join(root, 'node_modules', '.cache', 'communiconnect', 'native-abi.json');
const target = process.argv[2] ?? 'electron';

const readMarker = () => {
  try {
    return JSON.parse(readFileSync(marker, 'utf8')).abi;
  } catch {
    return 'node';
  }
};
const writeMarker = (abi) => {
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, JSON.stringify({ abi, at: new Date().toISOString() }));
};

if (target === 'electron') {
  const binary = findElectronBinary();
  if (!binary) {
    console.info(
      'Native modules: no Electron binary here, so better-sqlite3 stays built for Node (nothing to do).',
    );
    process.exit(0);
  }
  const electronVersion = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('electron/package.json'), 'utf8'),
  ).version;
  const wanted = `electron-${electronVersion}`;
  if (readMarker() === wanted) {
    console.info(`Native modules: better-sqlite3 is already built for Electron ${electronVersion}.`);
    process.exit(0);
  }
  console.info(`Native modules: rebuilding better-sqlite3 for Electron ${electronVersion} (once)…`);
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild({ buildPath: root, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  } catch (error) {
    console.error(
      `Native modules: rebuilding better-sqlite3 for Electron failed (${error instanceof Error ? error.message : error}); ` +
        'it needs a C++ toolchain and Electron headers (downloaded from electronjs.org).',
    );
    process.exit(1);
  }
  writeMarker(wanted);
  console.info('Native modules: done. Run `npm run rebuild:node` before `npm test` or `npm run host`.');
} else if (target === 'node') {
  // Silent when there is nothing to do: `npm start` calls this before printing the studio's address.
  if (readMarker() === 'node') process.exit(0);
  const result = spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  if (existsSync(marker)) rmSync(marker);
  console.info('Native modules: better-sqlite3 is built for Node again.');
} else {
  console.error('Usage: node scripts/rebuild-native.mjs [electron|node]');
  process.exit(2);
}
