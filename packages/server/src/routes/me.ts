/**
 * @module `GET /me`: the example protected resource. Verified here at the issuer from memory: the
 * signature (or the verifier's token cache) and the revocation set, so unlike a resource server that
 * verifies alone it refuses tokens whose session was ended or whose user was disabled, with no store call.
 * The username comes from a bounded cache filled on a user's first request (usernames never change).
 * A DPoP-bound token is taken only as `Authorization: DPoP` with a proof by its key (RFC 9449 §7; see
 * http/dpop-access.ts): that path awaits the replay store, the Bearer path stays synchronous.
 * The answer's JSON is serialised once per verified token (by the route's schema, the allow-list) and
 * sent as is on every later request with that token (serialising was ~0.75 µs of a request's ~35 µs in a
 * CPU profile under load).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AccessTokenInvalid } from '../errors.js'
import { bearerToken, dpopToken, isDPoPAuthorization } from '../http/bearer.js'
import { checkDPoPAccess, refuseBoundAsBearer, sendNonce } from '../http/dpop-access.js'
import { type ServerTiming, startTiming } from '../http/server-timing.js'
import { withDPoPChallenge } from '../http/www-authenticate.js'
import type { Services } from '../services.js'
import type { AccessClaims } from '../tokens/access-token.js'
import { errorResponses } from './schemas.js'

const meSchema = {
  type: 'object',
  properties: {
    sub: { type: 'string' },
    username: { type: 'string' },
    client_id: { type: 'string' },
    scope: { type: 'string' },
    sid: { type: 'string' },
    exp: { type: 'integer' },
  },
} as const

/** About 100 bytes an entry: at most ~1 MiB. */
const USERNAME_CACHE_MAX = 10_000

const JSON_TYPE = 'application/json; charset=utf-8'

type Me = {
  sub: string
  username: string
  client_id: string
  scope: string
  sid: string
  exp: number
}

export function meRoutes(services: Services) {
  const usernames = new Map<string, string>()
  /**
   * The serialised answer per claims object. The verifier's token cache hands back the same frozen claims
   * for every request with one token, so an entry lives as long as the verifier keeps that token (a
   * WeakMap: it adds no bound of its own) and holds only what the claims and the username, which never
   * changes, make of it. The revocation set is checked before it is read, on every request.
   */
  const bodies = new WeakMap<AccessClaims, string>()
  const answer = (claims: AccessClaims, username: string, reply: FastifyReply, timing: ServerTiming) => {
    let body = bodies.get(claims)
    if (body === undefined) {
      body = reply.serialize(describe(claims, username)) as string
      bodies.set(claims, body)
    }
    reply.header('server-timing', timing.header())
    reply.header('cache-control', 'no-store')
    reply.type(JSON_TYPE)
    return body
  }
  /** The user's first request to this instance: one store read, then the cache answers. */
  const firstRequest = async (claims: AccessClaims, reply: FastifyReply, timing: ServerTiming) => {
    const user = await services.users.findById(claims.sub)
    if (!user || user.disabled) throw new AccessTokenInvalid('the account of this access token is disabled')
    if (usernames.size >= USERNAME_CACHE_MAX) usernames.delete(usernames.keys().next().value!)
    usernames.set(claims.sub, user.username)
    return answer(claims, user.username, reply, timing)
  }
  /** The verified token's user, for either scheme: the cache answers in the same tick, else one store read. */
  const described = (claims: AccessClaims, reply: FastifyReply, timing: ServerTiming) => {
    // A client acting for itself (client_credentials) has no user to describe.
    if (typeof claims.sid !== 'string')
      throw new AccessTokenInvalid('this access token belongs to no session')
    const username = usernames.get(claims.sub)
    return username === undefined
      ? firstRequest(claims, reply, timing)
      : answer(claims, username, reply, timing)
  }
  /**
   * Under the DPoP scheme: the token checked as for Bearer, then its binding and the request's proof (the
   * replay check is a store write, hence the promise); every refusal carries the DPoP challenge.
   */
  const dpopAnswer = async (request: FastifyRequest, reply: FastifyReply, timing: ServerTiming) => {
    try {
      const token = dpopToken(request.headers.authorization)
      timing.begin()
      const claims = services.tokens.verifyAccessSignature(token)
      timing.mark('signature')
      services.revocations.assertActive(claims)
      timing.mark('revocation')
      await checkDPoPAccess(services.dpop, request, token, claims)
      timing.mark('dpop')
      sendNonce(services.dpop, reply)
      return await described(claims, reply, timing)
    } catch (error) {
      throw withDPoPChallenge(error)
    }
  }
  return async function plugin(app: FastifyInstance): Promise<void> {
    // Not an async function: a cached user is answered in the same tick, with no promise to settle.
    app.get('/me', { schema: { response: { 200: meSchema, ...errorResponses } } }, (request, reply) => {
      // Server-Timing names each part of the work (`tessera compare` reads it) and its total.
      const timing = startTiming()
      const authorization = request.headers.authorization
      if (isDPoPAuthorization(authorization)) return dpopAnswer(request, reply, timing)
      const token = bearerToken(authorization)
      timing.begin()
      const claims = services.tokens.verifyAccessSignature(token)
      timing.mark('signature')
      services.revocations.assertActive(claims)
      timing.mark('revocation')
      refuseBoundAsBearer(claims)
      return described(claims, reply, timing)
    })
  }
}

function describe(claims: AccessClaims, username: string): Me {
  return {
    sub: claims.sub,
    username,
    client_id: claims.client_id,
    scope: claims.scope,
    sid: claims.sid,
    exp: claims.exp,
  }
}
