/**
 * The live page: `npx vite web` serves it, `npx vite build web` writes web/dist/.
 * `@lib/...` is the library's source (../src): only its browser-safe parts (learners,
 * queue, util, io) are imported by the page.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [{ find: /^@lib\//, replacement: fileURLToPath(new URL('../src/', import.meta.url)) }],
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
