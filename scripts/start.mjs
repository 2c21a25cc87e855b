import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

/**
 * `npm start`: the desktop app when Electron's binary exists; otherwise one sentence saying why and how to get
 * it, then the same studio served to the browser (`npm run host`), which prints the URL to open.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

const MISSING_ELECTRON_SENTENCE =
  'CommuniConnect Studio: the Electron binary is not installed here (Electron downloads it from GitHub on first ' +
  'use, which this machine could not do), so run "npx install-electron" where GitHub is reachable to get the ' +
  'desktop window — meanwhile the same studio is served to your browser at the address below.';

/** STUDIO_SKIP_NATIVE_REBUILD=1: for the test that launches a fake Electron binary (it must not recompile anything). */
const rebuildNative = (target) => {
  if (process.env.STUDIO_SKIP_NATIVE_REBUILD === '1') return 0;
  return spawnSync(process.execPath, ['scripts/rebuild-native.mjs', target], { cwd: root, stdio: 'inherit' })
    .status;
};

const binary = findElectronBinary();
let child;
if (binary) {
  // Electron loads better-sqlite3 only if it was built for Electron's ABI.
  if (rebuildNative('electron') !== 0) process.exit(1);
  const env = { ...process.env };
  // Set, it would make the app binary a plain Node (and the RunAsNode fuse is off in packaged builds anyway).
  delete env.ELECTRON_RUN_AS_NODE;
  child = spawn(binary, ['.'], { cwd: root, stdio: 'inherit', env });
} else {
  console.info(MISSING_ELECTRON_SENTENCE);
  // If an earlier `npm start` built better-sqlite3 for Electron, Node needs its own build back.
  if (rebuildNative('node') !== 0) process.exit(1);
  // The bundle `npm run build` just made starts in half the time of compiling the sources; the sources run when
  // this script is started on its own before any build.
  const entry = existsSync(join(root, 'out/main/web.js'))
    ? ['out/main/web.js']
    : ['--import', 'tsx', 'src/host/web.ts'];
  child = spawn(process.execPath, entry, { cwd: root, stdio: 'inherit' });
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
