import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { lessonIndexPlugin } from './server/lesson-index-plugin.ts'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: './',
  plugins: [vue(), lessonIndexPlugin()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // libp2p alone is ~500 kB minified; the gzipped size is what we budget (≤ 250 kB).
    chunkSizeWarningLimit: 900,
    reportCompressedSize: true
  },
  server: {
    // `npm run dev` serves the app here; the agent prints an address to paste.
    port: 5173,
    strictPort: false
  }
})
