import { defineConfig } from 'vite';

// The demo is served by `weft serve --app examples/board/dist` (npm start). `npm run dev -w
// examples/board` serves it with hot reload; it then syncs with a server at WEFT_SERVER.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
