import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The budget is 250 KB gzip of initial JavaScript; say so loudly when a chunk grows.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': { target: 'https://127.0.0.1:8443', secure: false, ws: true } } },
});
