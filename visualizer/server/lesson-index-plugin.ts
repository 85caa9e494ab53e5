/**
 * `npm run dev`: serve the lesson index and pages from the Vite dev server too,
 * so the protocol inspector's lesson links work while developing.
 */
import type { Plugin } from 'vite'
import { lessonRoutes } from './lesson-routes.ts'

export function lessonIndexPlugin (): Plugin {
  return {
    name: 'llmesh-lessons',
    configureServer (server) {
      server.middlewares.use(lessonRoutes())
    },
    configurePreviewServer (server) {
      server.middlewares.use(lessonRoutes())
    }
  }
}
