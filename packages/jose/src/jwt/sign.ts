/**
 * @module `signJWT`: claims in, compact JWS out.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { compactSignWith } from '../jws/compact.js'
import { currentSeconds } from '../util/duration.js'
import { applyClaimTemplate, compileClaimTemplate, jwtHeader } from './build-claims.js'
import type { JWTSignOptions } from './types.js'

export function signJWTWith(
  backend: Backend,
  claims: Record<string, unknown>,
  key: unknown,
  options: JWTSignOptions,
): MaybePromise<string> {
  const header = jwtHeader(options)
  const template = compileClaimTemplate(options)
  const payload = applyClaimTemplate(
    claims,
    template,
    currentSeconds(options.currentDate),
    backend.randomBytes,
  )
  return compactSignWith(backend, new TextEncoder().encode(JSON.stringify(payload)), key, header)
}
