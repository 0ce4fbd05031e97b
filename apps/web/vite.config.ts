import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The production build goes to dist/, which the gateway serves at `/` (apps/gateway/src/web).
// `npm run dev:web` proxies the API and the WebSocket to a gateway on :8080.
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/ws': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
