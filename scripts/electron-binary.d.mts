/** Where the Electron binary is, or null (see electron-binary.mjs). */
export function findElectronBinary(): string | null;
