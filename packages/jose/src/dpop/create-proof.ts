/**
 * @module `createDPoPProof` (RFC 9449 §4.2): a `dpop+jwt` signed by the client's key, binding one request
 * (method and URL without query), the moment it was made, a random `jti`, and optionally the access token
 * (`ath`) and the server's nonce.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid } from '../errors.js'
import { encodeBase64url } from '../util/base64url.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { accessTokenHashWith } from './hashes.js'
import { expectedHtu } from './htu.js'
import { proofKeyOf } from './proof-key.js'
import type { DPoPProofOptions } from './types.js'

/** 128 random bits: RFC 9449 §11.1 asks for at least 96. */
const JTI_BYTES = 16
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    throw new JOSEOptionInvalid(`${option} must be a non-empty string of at most 1024 characters`)
  }
  return value
}

export function createDPoPProofWith(backend: Backend, options: DPoPProofOptions): MaybePromise<string> {
  if (!isJsonObject(options)) throw new JOSEOptionInvalid('createDPoPProof needs an options object')
  if (typeof options.htm !== 'string' || !METHOD.test(options.htm)) {
    throw new JOSEOptionInvalid('htm must be the HTTP method of the request, e.g. "GET" or "POST"')
  }
  const htu = expectedHtu(options.htu, 'htu')
  const nonce = optionalString(options.nonce, 'nonce')
  const jti = optionalString(options.jti, 'jti') ?? encodeBase64url(backend.randomBytes(JTI_BYTES))
  const iat = options.iat ?? Math.floor(Date.now() / 1000)
  if (!Number.isSafeInteger(iat) || iat < 0)
    throw new JOSEOptionInvalid('iat must be whole seconds since the epoch')
  const ath =
    options.accessToken === undefined ? undefined : accessTokenHashWith(backend, options.accessToken)
  return chain(proofKeyOf(backend, options.key, options.publicKey, options.alg), (prepared) =>
    chain(ath, (tokenHash) => {
      const claims: Record<string, unknown> = { jti, htm: options.htm, htu, iat }
      if (tokenHash !== undefined) claims.ath = tokenHash
      if (nonce !== undefined) claims.nonce = nonce
      const signingInput = prepared.headerPrefix + encodeBase64url(JSON.stringify(claims))
      const fast = backend.signToBase64url
      if (fast) return `${signingInput}.${fast(prepared.alg, prepared.privateKey, signingInput)}`
      return chain(
        backend.sign(prepared.alg, prepared.privateKey, signingInput),
        (signature) => `${signingInput}.${encodeBase64url(signature)}`,
      )
    }),
  )
}
