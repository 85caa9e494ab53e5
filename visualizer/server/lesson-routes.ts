/**
 * Connect-style middleware for `lessons.json` and `lessons/<id>/`, shared by the
 * agent's web server and the Vite dev server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { lessonPage, listLessons } from './lesson-index.ts'

export function lessonRoutes () {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const path = new URL(req.url ?? '/', 'http://local').pathname
    if (path === '/lessons.json') {
      send(res, 200, 'application/json', JSON.stringify(listLessons()))
      return
    }
    const match = /^\/lessons\/([^/]+)\/?$/.exec(path)
    if (match != null) {
      void lessonPage(match[1]!).then(html => {
        if (html == null) next()
        else send(res, 200, 'text/html; charset=utf-8', html)
      }, () => { next() })
      return
    }
    next()
  }
}

function send (res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}
