import { findElectronBinary } from './electron-binary.mjs';

// Runs after `npm install`: one clear line, never a failure, since Electron's binary is optional here.
// (better-sqlite3 is rebuilt for Electron by `npm start` itself, only where the binary exists: see rebuild-native.mjs.)
const binary = findElectronBinary();
if (binary) {
  console.info(
    `CommuniConnect Studio: Electron binary found (${binary}); \`npm start\` opens the desktop app.`,
  );
} else {
  console.info(
    'CommuniConnect Studio: the Electron binary is not installed (its download needs GitHub); `npm start` will serve the studio to your browser instead.',
  );
}
