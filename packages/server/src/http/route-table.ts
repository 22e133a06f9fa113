/**
 * @module The app's routes as a list of method and path, recorded as they are registered: the 405 answer
 * looks a path up here as plain text (Fastify's `hasRoute` reads it as a route pattern: a requested path
 * with a `*` in it made it throw, a 500), and tests (the route fuzzer) read the same table.
 */
import type { FastifyInstance } from 'fastify'

export interface RouteEntry {
  method: string
  url: string
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>()

/** Starts recording; call on the root instance before any route is registered. */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = []
  tables.set(app, table)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url })
  })
}

/** Every route of `app` (HEAD included where Fastify adds it for a GET). */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? []
}

/** The methods `path` (taken literally, not as a pattern) answers, in registration order. */
export function methodsFor(app: FastifyInstance, path: string): string[] {
  return [
    ...new Set(
      routeTable(app)
        .filter((route) => route.url === path)
        .map((route) => route.method),
    ),
  ]
}
