import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * Builds main, preload and renderer into out/ without needing the Electron binary. The preload is one
 * CommonJS file: an ESM preload would force `sandbox: false`.
 */
export default defineConfig({
  main: {
    build: { outDir: 'out/main' },
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
    plugins: [react()],
    build: { outDir: 'out/renderer', minify: true, sourcemap: true },
  },
});
