import { findElectronBinary } from './electron-binary.mjs';

// Runs after `npm install`: one clear line, never a failure, since Electron's binary is optional here.
const binary = findElectronBinary();
if (binary) {
  console.info(`CommuniConnect Studio: Electron binary found (${binary}).`);
} else {
  console.info(
    'CommuniConnect Studio: the Electron binary is not installed (its download needs GitHub); `npm start` will serve the studio to your browser instead.',
  );
}
