/**
 * The live page: `npx vite web` serves it, `npx vite build web` writes web/dist/.
 * The page imports `adaptive-sampling` as a user's page would; here the name is the
 * package's browser entry from source (../src/index.ts, what `exports["."].default` builds
 * to), so the page needs no build of the package and shows that entry pulls in no Node code.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      {
        find: /^adaptive-sampling$/,
        replacement: fileURLToPath(new URL('../src/index.ts', import.meta.url)),
      },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
