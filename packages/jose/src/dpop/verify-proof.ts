/**
 * @module `verifyDPoPProof` (RFC 9449 §4.3): the checks a server makes on a `DPoP` header before it trusts
 * the request, in order — serialization, header (proof-header.ts), signature, `jti`, `htm`, `htu`, `iat`,
 * `ath`, the bound key (`jkt`), `nonce`, and last the replay cache, so only proofs that passed every other
 * check take a place in it. Synchronous on Node unless the replay cache answers with a promise.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { DPoPNonceRequired, DPoPProofInvalid, DPoPProofReplayed, JOSEOptionInvalid } from '../errors.js'
import { decodeBase64url } from '../util/base64url.js'
import { utf8Decode } from '../util/bytes.js'
import { parseSpanSeconds } from '../util/duration.js'
import { deepFreeze } from '../util/freeze.js'
import { isJsonObject, parseJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { dpopAllowList } from './algorithms.js'
import { accessTokenHashWith, sha256Base64url } from './hashes.js'
import { checkHtu, expectedHtu } from './htu.js'
import { type ProofHeader, proofHeaderOf } from './proof-header.js'
import type { DPoPProofClaims, DPoPVerifyOptions, DPoPVerifyResult } from './types.js'

/** A proof is a header with one public key plus a handful of claims: 8 KiB holds an RSA-4096 one twice over. */
const MAX_PROOF_LENGTH = 8192
const MAX_JTI_LENGTH = 256
const DEFAULT_MAX_AGE = 300
const DEFAULT_CLOCK_TOLERANCE = 5

interface Split {
  headerSegment: string
  signingInput: string
  payloadSegment: string
  signatureSegment: string
}

function split(proof: unknown): Split {
  if (typeof proof !== 'string' || proof.length === 0)
    throw new DPoPProofInvalid('the DPoP header must hold one compact JWS', 'proof')
  if (proof.length > MAX_PROOF_LENGTH) {
    throw new DPoPProofInvalid(`the DPoP proof is longer than ${MAX_PROOF_LENGTH} characters`, 'proof')
  }
  const first = proof.indexOf('.')
  const second = first === -1 ? -1 : proof.indexOf('.', first + 1)
  if (second === -1 || proof.indexOf('.', second + 1) !== -1) {
    throw new DPoPProofInvalid('a DPoP proof is a compact JWS: three parts separated by "."', 'proof')
  }
  return {
    headerSegment: proof.slice(0, first),
    signingInput: proof.slice(0, second),
    payloadSegment: proof.slice(first + 1, second),
    signatureSegment: proof.slice(second + 1),
  }
}

function decodeProofClaims(segment: string): DPoPProofClaims {
  const bytes = decodeBase64url(segment)
  const text = bytes && utf8Decode(bytes)
  const claims = text === undefined ? undefined : parseJsonObject(text)
  if (!isJsonObject(claims))
    throw new DPoPProofInvalid("the DPoP proof's claims are not a base64url JSON object", 'proof')
  return claims as DPoPProofClaims
}

interface Policy {
  htm: string
  htu: string
  maxAge: number
  tolerance: number
  now: number
}

function compilePolicy(options: DPoPVerifyOptions): Policy {
  if (!isJsonObject(options)) throw new JOSEOptionInvalid('verifyDPoPProof needs an options object')
  if (typeof options.htm !== 'string' || options.htm.length === 0)
    throw new JOSEOptionInvalid('htm must be the HTTP method of the request')
  if (options.jkt !== undefined && typeof options.jkt !== 'string')
    throw new JOSEOptionInvalid('jkt must be the thumbprint string the token is bound to (cnf.jkt)')
  const nonce = options.nonce
  if (nonce !== undefined && typeof nonce !== 'function' && (typeof nonce !== 'string' || nonce === ''))
    throw new JOSEOptionInvalid('nonce must be a non-empty string or a function (nonce) => boolean')
  if (options.replay !== undefined && typeof options.replay?.seen !== 'function')
    throw new JOSEOptionInvalid('replay must be an object with seen(id, expiresAt)')
  const now = options.currentDate ?? new Date()
  if (!(now instanceof Date) || !Number.isFinite(now.getTime()))
    throw new JOSEOptionInvalid('currentDate must be a valid Date')
  return {
    htm: options.htm,
    htu: expectedHtu(options.htu, 'htu'),
    maxAge: options.maxAge === undefined ? DEFAULT_MAX_AGE : parseSpanSeconds(options.maxAge, 'maxAge'),
    tolerance:
      options.clockTolerance === undefined
        ? DEFAULT_CLOCK_TOLERANCE
        : parseSpanSeconds(options.clockTolerance, 'clockTolerance'),
    now: Math.floor(now.getTime() / 1000),
  }
}

function checkClaims(claims: DPoPProofClaims, policy: Policy): void {
  const { jti, htm, iat } = claims
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw new DPoPProofInvalid(
      `the DPoP proof needs a "jti": a random string of at most ${MAX_JTI_LENGTH} characters`,
      'jti',
    )
  }
  if (htm !== policy.htm) {
    throw new DPoPProofInvalid(`the DPoP proof was made for another method: make it for ${policy.htm}`, 'htm')
  }
  checkHtu(claims.htu, policy.htu)
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    throw new DPoPProofInvalid('the DPoP proof needs an "iat" (seconds since the epoch)', 'iat')
  if (iat < policy.now - policy.maxAge - policy.tolerance) {
    throw new DPoPProofInvalid(
      `the DPoP proof is older than ${policy.maxAge} s: make a new proof for each request`,
      'iat',
    )
  }
  if (iat > policy.now + policy.tolerance) {
    throw new DPoPProofInvalid('the DPoP proof\'s "iat" is in the future: check the client\'s clock', 'iat')
  }
}

function checkNonce(claim: unknown, expected: DPoPVerifyOptions['nonce']): void {
  if (expected === undefined) return
  if (typeof claim !== 'string' || claim === '')
    throw new DPoPNonceRequired('the server requires a nonce: make the proof again with its DPoP-Nonce')
  const accepted = typeof expected === 'function' ? expected(claim) === true : claim === expected
  if (!accepted)
    throw new DPoPNonceRequired(
      "the proof's nonce is not the current one: make the proof again with the latest DPoP-Nonce",
    )
}

function finish(
  backend: Backend,
  entry: ProofHeader,
  claims: DPoPProofClaims,
  policy: Policy,
  options: DPoPVerifyOptions,
): MaybePromise<DPoPVerifyResult> {
  checkNonce(claims.nonce, options.nonce)
  const result: DPoPVerifyResult = { jkt: entry.jkt, claims: deepFreeze(claims), header: entry.header }
  const replay = options.replay
  if (!replay) return result
  // The id binds the key and the jti (another key's equal jti is another proof), hashed to a fixed length.
  return chain(sha256Base64url(backend, `${entry.jkt}.${claims.jti}`), (id) =>
    chain(replay.seen(id, claims.iat + policy.maxAge + policy.tolerance), (seen) => {
      if (seen !== false) {
        if (seen === true) throw new DPoPProofReplayed()
        throw new JOSEOptionInvalid('replay.seen must answer true (already seen) or false')
      }
      return result
    }),
  )
}

export function verifyDPoPProofWith(
  backend: Backend,
  proof: unknown,
  options: DPoPVerifyOptions,
): MaybePromise<DPoPVerifyResult> {
  const policy = compilePolicy(options)
  const allowed = dpopAllowList(backend, options.algorithms)
  const parts = split(proof)
  const expectedAth =
    options.accessToken === undefined ? undefined : accessTokenHashWith(backend, options.accessToken)
  return chain(proofHeaderOf(backend, parts.headerSegment), (entry) => {
    if (!allowed.has(entry.alg.name)) {
      throw new DPoPProofInvalid(
        `"alg": "${entry.alg.name}" is not accepted for DPoP proofs here (accepted: ${[...allowed].join(', ')})`,
        'alg',
      )
    }
    const signature = decodeBase64url(parts.signatureSegment)
    if (!signature || signature.length === 0)
      throw new DPoPProofInvalid("the DPoP proof's signature is not canonical base64url", 'signature')
    return chain(backend.verify(entry.alg, entry.key, parts.signingInput, signature), (valid) => {
      if (!valid) {
        throw new DPoPProofInvalid(
          'the DPoP proof\'s signature does not verify with the key in its "jwk"',
          'signature',
        )
      }
      const claims = decodeProofClaims(parts.payloadSegment)
      checkClaims(claims, policy)
      return chain(expectedAth, (ath) => {
        if (ath !== undefined) {
          if (claims.ath === undefined)
            throw new DPoPProofInvalid('the DPoP proof has no "ath": make it with the access token', 'ath')
          if (claims.ath !== ath)
            throw new DPoPProofInvalid('the DPoP proof\'s "ath" is for another access token', 'ath')
        }
        if (options.jkt !== undefined && options.jkt !== entry.jkt) {
          throw new DPoPProofInvalid(
            'the DPoP proof is signed by another key than the one the token is bound to (cnf.jkt)',
            'jkt',
          )
        }
        return finish(backend, entry, claims, policy, options)
      })
    })
  })
}
