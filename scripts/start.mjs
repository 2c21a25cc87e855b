import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

/**
 * `npm start`: the desktop app when Electron's binary exists; otherwise one sentence saying why, then the
 * same studio served to the browser (`npm run host`), with the URL to open.
 */
const binary = findElectronBinary();
const child = binary
  ? spawn(binary, ['.'], { stdio: 'inherit' })
  : (() => {
      console.info(
        'The Electron binary is not installed on this machine (it is downloaded from GitHub on first run, which failed or was not possible); ' +
          'to get the desktop window, run "npx install-electron" where GitHub is reachable. Serving the same studio to your browser instead.',
      );
      return spawn(process.execPath, ['--import', 'tsx', 'src/host/web.ts'], { stdio: 'inherit' });
    })();

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
