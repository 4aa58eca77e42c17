import { defineConfig } from 'vite';

// One classic script (IIFE) with its styles inside: the day's report inlines it into a page
// that opens from disk (browsers refuse ES modules over file://), and the server serves the
// same file beside index.html.
export default defineConfig({
  publicDir: 'public',
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: false,
    lib: { entry: 'src/main.tsx', formats: ['iife'], name: 'GridTier', fileName: () => 'gridtier-web.js' },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
