// electron-builder `afterPack` hook (electron-builder.yml): flips Electron's fuses on the packaged binary, before
// signing. CommonJS because electron-builder require()s it; @electron/fuses 1.8 is the last line that runs on
// Node 20 (2.x needs Node 22). It cannot run on our build machines (no Electron binary); its test runs it on a
// fake binary that carries a fuse wire.
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuses we set, each against a way in that a packaged app does not need. */
const FUSES = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and local storage encrypted at rest with the OS keychain.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect/--inspect-brk would let any local process inject code into the app.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app.asar is checked against the hash embedded at packaging (macOS, Windows), and the app loads only
  // from it: a modified or side-loaded app folder is refused.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // file:// keeps no extra privileges: our page is served from app://.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The Electron binary inside electron-builder's output folder, per platform. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${productFilename}.app`);
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const binary = electronBinaryPath(context);
  // arm64 macOS binaries are ad-hoc signed: flipping bytes invalidates that signature unless it is redone.
  const resetAdHocDarwinSignature =
    context.electronPlatformName === 'darwin' && (context.arch === 3 || context.arch === 4); // Arch.arm64, Arch.universal
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature });
  console.info(`Electron fuses set on ${binary}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.electronBinaryPath = electronBinaryPath;
