/**
 * @module The app's routes as a list of method and path, recorded as they are registered, so a caller
 * (the route fuzzer, a tool listing endpoints) reads the app's own table instead of parsing Fastify's
 * printout.
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
