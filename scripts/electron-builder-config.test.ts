import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * `npm run dist` cannot run here (electron-builder downloads Electron), so its configuration is checked instead:
 * against electron-builder's own schema, and field by field for what the app relies on. The afterPack hook runs
 * for real on a FAKE binary that carries an Electron fuse wire.
 */
const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'cc-builder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const pngSize = (file: string) => {
  const data = readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
};

describe('electron-builder.yml', () => {
  it("is valid for electron-builder's own schema", async () => {
    const appBuilderLib = createRequire(require.resolve('electron-builder'));
    const { validateConfiguration } = appBuilderLib('app-builder-lib/out/util/config/config');
    const { DebugLogger } = appBuilderLib('builder-util');
    await expect(
      validateConfiguration(structuredClone(config), new DebugLogger(false)),
    ).resolves.toBeUndefined();
    await expect(
      validateConfiguration(
        { ...structuredClone(config), mac: { notAnOption: true } },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.mac/);
  });

  it('packs the build and the migrations, and keeps the native module outside the asar', () => {
    expect(config.appId).toBe('org.communiconnect.studio');
    expect(config.productName).toBe('CommuniConnect Studio');
    expect(config.files).toEqual(
      expect.arrayContaining(['out/**', 'drizzle/host/**', 'drizzle/server/**', 'package.json']),
    );
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^\d+\.\d+\.\d+$/); // packed (a dependency), pinned
    expect(pkg.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/); // electron-builder wants it as a devDependency
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder/);
  });

  it('targets AppImage + deb, nsis and dmg, each with a real icon', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);

    const linuxIcons = readdirSync(join(root, config.linux.icon));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(linuxIcons).toContain(`${size}x${size}.png`);
      expect(pngSize(join(root, config.linux.icon, `${size}x${size}.png`))).toEqual([size, size]);
    }
    expect(pngSize(join(root, 'resources', 'icon.png'))).toEqual([1024, 1024]);

    const ico = readFileSync(join(root, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1); // an icon, not a cursor
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + i * 16) || 256);
    expect(sizes).toContain(256); // NSIS and Windows Explorer need the 256 px entry

    const icns = readFileSync(join(root, config.mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes(Buffer.from('ic10'))).toBe(true); // 1024 px (512@2x) for Retina
  });

  it('tells macOS why the app uses the camera and microphone, and entitles only those devices', () => {
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/caméra.*camera/);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/micro.*microphone/);
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(root, config.mac.entitlements), 'utf8');
    const granted = [...entitlements.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((match) => match[1]);
    expect(granted.sort()).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.allow-unsigned-executable-memory',
      'com.apple.security.device.audio-input',
      'com.apple.security.device.camera',
    ]);
  });

  it('writes packages to dist/, which git ignores', () => {
    expect(config.directories.output).toBe('dist');
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
  });
});

describe('the afterPack hook (Electron fuses)', () => {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  // Electron 45's default wire: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar
  // integrity off, only-from-asar off, browser V8 snapshot off, file:// privileges on.
  const DEFAULT_WIRE = '10110001';

  it('flips every fuse the issue names on the packaged binary', async () => {
    const hook = require(join(root, config.afterPack));
    const appOutDir = mkdtempSync(join(scratch, 'linux-unpacked-'));
    const binary = join(appOutDir, 'communiconnect-studio');
    writeFileSync(
      binary,
      Buffer.concat([Buffer.alloc(64, 1), Buffer.from(`${SENTINEL}\x01\x08${DEFAULT_WIRE}`)]),
    );
    await hook.default({
      appOutDir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: {
        appInfo: { productFilename: 'CommuniConnect Studio' },
        executableName: 'communiconnect-studio',
      },
    });
    const data = readFileSync(binary);
    const wireAt = data.indexOf(SENTINEL) + SENTINEL.length + 2;
    const wire = data.subarray(wireAt, wireAt + 8).toString('ascii');
    expect({
      RunAsNode: wire[0],
      EnableCookieEncryption: wire[1],
      EnableNodeOptionsEnvironmentVariable: wire[2],
      EnableNodeCliInspectArguments: wire[3],
      EnableEmbeddedAsarIntegrityValidation: wire[4],
      OnlyLoadAppFromAsar: wire[5],
      LoadBrowserProcessSpecificV8Snapshot: wire[6],
      GrantFileProtocolExtraPrivileges: wire[7],
    }).toEqual({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      LoadBrowserProcessSpecificV8Snapshot: '0', // untouched
      GrantFileProtocolExtraPrivileges: '0',
    });
  });

  it('finds the binary per platform', () => {
    const { electronBinaryPath } = require(join(root, config.afterPack));
    const packager = {
      appInfo: { productFilename: 'CommuniConnect Studio' },
      executableName: 'communiconnect-studio',
    };
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(
      '/o/CommuniConnect Studio.app',
    );
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(
      '/o/CommuniConnect Studio.exe',
    );
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(
      '/o/communiconnect-studio',
    );
  });
});
