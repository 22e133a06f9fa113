/**
 * @module The issuer's check of a request's `DPoP` header (RFC 9449 §4.3), used by the token endpoints
 * and the resource endpoints alike (`services.dpop`): one header at most, bounded, checked for this
 * method at the configured public origin (`--issuer`, never the `Host` header a client controls), with
 * the server nonce when `--dpop-nonce required`, and replay-checked in the store every instance shares
 * (Redis with `--redis`, else the SQL `replay_ids` table) for exactly as long as the proof could be
 * accepted: `iat` + `--dpop-proof-max-age` + `--clock-skew`.
 */
import {
  type AsyncReplayCache,
  DPoPProofInvalid,
  DPoPNonceRequired as ProofNonceMissing,
  verifyDPoPProof,
} from '@tessera/jose'
import type { Clock } from '../clock.js'
import { DPoPNonceRequired, DPoPProofRefused } from '../errors.js'
import type { ReplayRepository } from '../store/types.js'
import { DPOP_SIGNING_ALGS } from './algorithms.js'
import { type DPoPNonces, dpopNonces } from './nonces.js'

export interface DPoPRequest {
  method: string
  /** The request path and query as received (Fastify's `request.url`). */
  url: string
  headers: Record<string, string | string[] | undefined>
}

export interface DPoPProofResult {
  /** RFC 7638 thumbprint of the proof's key: what `cnf.jkt` binds a token to. */
  jkt: string
}

export interface DPoPExpectation {
  /** The access token the request carries: the proof must have its `ath` (resource endpoints). */
  accessToken?: string
  /** The thumbprint the token is bound to (`cnf.jkt`): the proof must be made by that key. */
  jkt?: string
  /** Refuse a request without a proof (a DPoP-bound token, or a client whose setting is `required`). */
  required?: boolean
}

export interface IssuerDPoP {
  /**
   * The request's `DPoP` header checked for this endpoint at the configured public origin; undefined when
   * the request carries no proof and none is required. Throws DPoPProofRefused, DPoPNonceRequired (with
   * the nonce to send), or StoreUnavailable when the replay store cannot answer.
   */
  check(request: DPoPRequest, expect?: DPoPExpectation): Promise<DPoPProofResult | undefined>
  /** The nonce to send as `DPoP-Nonce` now. */
  currentNonce(): string
  /** Whether proofs must carry the server nonce (`--dpop-nonce required`). */
  readonly noncesRequired: boolean
}

export interface IssuerDPoPDeps {
  /** The configured public origin (services.issuer()). */
  issuer: () => string
  clock: Clock
  replay: ReplayRepository
  /** The nonce HMAC key, derived from TESSERA_SECRET. */
  nonceKey: Buffer
  nonce: 'required' | 'off'
  /** Seconds a proof is accepted after its `iat`. */
  maxAge: number
  /** Seconds of clock difference allowed both ways. */
  clockSkew: number
}

/** jose's own limit too; checked here first so an oversized header costs nothing. */
const MAX_PROOF_LENGTH = 8192

/** Replay ids share the table with other single-use ids: a prefix keeps the kinds apart. */
const REPLAY_PREFIX = 'dpop:'

export function issuerDPoP(deps: IssuerDPoPDeps): IssuerDPoP {
  const nonces: DPoPNonces = dpopNonces(deps.nonceKey, deps.clock)
  const noncesRequired = deps.nonce === 'required'
  const acceptsNonce = (nonce: string) => nonces.accepts(nonce)
  const replay: AsyncReplayCache = {
    // jose gives seconds; the store keeps milliseconds. True means "already seen".
    seen: async (id, expiresAt) =>
      !(await deps.replay.firstUse(`${REPLAY_PREFIX}${id}`, expiresAt * 1000, deps.clock())),
  }

  return {
    noncesRequired,
    currentNonce: () => nonces.current(),
    async check(request, expect = {}) {
      const proof = singleHeader(request.headers.dpop)
      if (proof === undefined) {
        if (expect.required || expect.jkt !== undefined)
          throw new DPoPProofRefused(
            expect.jkt !== undefined
              ? 'this token is DPoP-bound: send a DPoP proof made by its key with the request'
              : 'this client must send a DPoP proof (RFC 9449) with its token requests',
          )
        return undefined
      }
      const htu = `${deps.issuer()}${pathOf(request.url)}`
      try {
        const { jkt, claims } = await verifyDPoPProof(proof, {
          htm: request.method,
          htu,
          ...(expect.accessToken !== undefined ? { accessToken: expect.accessToken } : {}),
          ...(expect.jkt !== undefined ? { jkt: expect.jkt } : {}),
          ...(noncesRequired ? { nonce: acceptsNonce } : {}),
          maxAge: deps.maxAge,
          clockTolerance: deps.clockSkew,
          replay,
          algorithms: DPOP_SIGNING_ALGS,
          currentDate: new Date(deps.clock()),
        })
        // §4.2: htu carries no query or fragment. jose ignores them when comparing (§4.3); a proof that
        // names one was not made for this endpoint as published, so it is refused here.
        if (/[?#]/.test(claims.htu))
          throw new DPoPProofRefused(`the DPoP proof's htu has a query or fragment: make it for ${htu}`)
        return { jkt }
      } catch (error) {
        if (error instanceof ProofNonceMissing) throw new DPoPNonceRequired(error.message, nonces.current())
        if (error instanceof DPoPProofInvalid) throw new DPoPProofRefused(error.message, { cause: error })
        throw error
      }
    },
  }
}

/** The one `DPoP` header value, or undefined when there is none. */
function singleHeader(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  // Node joins a repeated header with ", " (a JWS never holds a comma or a space); some adapters give an array.
  if (Array.isArray(value) || value.includes(','))
    throw new DPoPProofRefused('send one DPoP header: RFC 9449 §4.3 refuses a request with several')
  if (value === '') throw new DPoPProofRefused('the DPoP header is empty: send one compact JWS')
  if (value.length > MAX_PROOF_LENGTH)
    throw new DPoPProofRefused(`the DPoP header is longer than ${MAX_PROOF_LENGTH} characters`)
  return value
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}
