/**
 * @module The Photos API on the app's own origin: `GET /api/photos`, behind @tessera/server's
 * `requireAuth` — the access token verified locally against the provider's JWKS, DPoP-bound tokens
 * checked with their proof, and an ended provider session refused at once through the revocations
 * option (the issuer's feed, or its own set when the demo runs in the server's process).
 */
import type { EventEmitter } from 'node:events'
import { type RequireAuthOptions, type RevocationCheck, requireAuth } from '@tessera/server'
import type { FastifyInstance } from 'fastify'

/** A few "photos" per user: a title and a colour, enough to see whose album it is. */
const ALBUM = [
  { title: 'Harbour at dawn', colour: '#3f6e8a' },
  { title: 'Lanterns', colour: '#8a3f5c' },
  { title: 'Pine ridge', colour: '#3f8a55' },
  { title: 'Tea house', colour: '#8a6a3f' },
]

export interface PhotosApiOptions {
  issuer: string
  /** The access tokens' `aud` (the provider's --audience). */
  audience: string
  jwksUri: string
  /** The app's public origin: a DPoP proof's `htu` is checked against it, never against the Host header. */
  publicOrigin: string
  revocations?: RevocationCheck
  events: EventEmitter
}

export async function photosApi(app: FastifyInstance, options: PhotosApiOptions): Promise<void> {
  const auth: RequireAuthOptions = {
    issuer: options.issuer,
    audience: options.audience,
    jwksUri: options.jwksUri,
    // DPoP-bound tokens with their proofs (a proof's htu is checked against this origin; replays refused).
    dpop: { publicOrigin: options.publicOrigin },
    ...(options.revocations ? { revocations: options.revocations } : {}),
  }
  await app.register(async (api) => {
    await api.register(requireAuth(auth))
    api.addHook('onResponse', async (request, reply) => {
      options.events.emit('api', { status: reply.statusCode, sub: request.auth?.claims.sub })
    })
    api.get('/api/photos', async (request, reply) => {
      const claims = request.auth!.claims
      reply.header('cache-control', 'no-store')
      return {
        owner: claims.sub,
        sid: claims.sid ?? null,
        boundToKey: typeof (claims as { cnf?: { jkt?: string } }).cnf?.jkt === 'string',
        photos: ALBUM,
      }
    })
  })
}
