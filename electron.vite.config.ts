import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const MAIN_OUT_DIR = resolve('out/main');

/**
 * The host and the embedded server find their files (migrations, …) with `new URL('../x', import.meta.url)`,
 * relative to their source file. Bundled into out/main/index.js, that base moves: this rewrites each such URL to
 * point from out/main to the same place, so the bundled app finds drizzle/host and drizzle/server as `npm run
 * host` does. src/main is left alone: its URLs are written for the built layout already.
 */
function rebaseSourceRelativeUrls(): Plugin {
  const pattern = /new URL\((['"])(\.\.?\/[^'"]*|\.\.?)\1,\s*import\.meta\.url\)/g;
  const mainSources = resolve('src/main') + sep;
  return {
    name: 'communiconnect:rebase-source-relative-urls',
    transform(code, id) {
      if (id.includes(`${sep}node_modules${sep}`) || id.startsWith(mainSources) || !pattern.test(code))
        return null;
      pattern.lastIndex = 0;
      return code.replace(pattern, (_match, _quote, path: string) => {
        const target = resolve(dirname(id), path);
        const rebased = relative(MAIN_OUT_DIR, target).split(sep).join('/') || '.';
        return `new URL(${JSON.stringify(rebased.startsWith('.') ? rebased : `./${rebased}`)}, import.meta.url)`;
      });
    },
  };
}

/** The emoji picker's data, in the languages of the studio: what frimousse would otherwise fetch from a CDN. */
const EMOJI_DATA_FILES = ['fr', 'en'].flatMap((locale) =>
  ['data', 'messages'].map((file) => `${locale}/${file}.json`),
);

/**
 * Ships emojibase-data's files with the renderer under `emojibase/` (and serves them in dev), so that the picker
 * (renderer/src/components/EmojiPicker.tsx) works offline: the studio never reaches a CDN at run time.
 */
function bundleEmojiData(): Plugin {
  const source = (file: string) => readFileSync(resolve('node_modules/emojibase-data', file));
  return {
    name: 'communiconnect:bundle-emoji-data',
    configureServer(server) {
      server.middlewares.use('/emojibase/', (req, res, next) => {
        const file = EMOJI_DATA_FILES.find((known) => req.url === `/${known}`);
        if (!file) return next();
        res.setHeader('content-type', 'application/json');
        res.end(source(file));
      });
    },
    generateBundle() {
      for (const file of EMOJI_DATA_FILES)
        this.emitFile({ type: 'asset', fileName: `emojibase/${file}`, source: source(file) });
    },
  };
}

/**
 * Builds main, preload and renderer into out/ without needing the Electron binary. The preload is one
 * CommonJS file: an ESM preload would force `sandbox: false`.
 */
export default defineConfig({
  main: {
    plugins: [rebaseSourceRelativeUrls()],
    build: {
      outDir: 'out/main',
      // Pure-JS libraries loaded at every start are bundled in: one file compiles faster than their ~300 modules
      // (issue 18's cold start). Native and lazily loaded ones (better-sqlite3, pg, PGlite, mediabunny) stay out.
      externalizeDeps: { exclude: ['zod', 'drizzle-orm', '@trpc/server', '@trpc/client'] },
      // web.js: the same host for a browser (`npm start` without Electron), started without compiling TypeScript.
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), web: resolve('src/host/web.ts') },
        // Shared code stays beside the entries: the rebased URLs above are relative to out/main itself.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can `require` only Electron's own modules: everything else is bundled in.
      externalizeDeps: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false } },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react(), bundleEmojiData()],
    build: { outDir: 'out/renderer', minify: true, sourcemap: true },
  },
});
