/**
 * @module The DPoP rows of our two builds: the Node entry (synchronous) and the WebCrypto one (promises), the
 * client key imported and the verify options built once, so a timed call is only the proof's creation or check.
 */
import type {
  DPoPProofOptions,
  DPoPVerifyOptions,
  DPoPVerifyResult,
  JoseKey,
  JWK,
} from '../../packages/jose/src/node.js'
import type { Fixtures } from '../fixtures.js'
import { DPOP_ACCESS_TOKEN, DPOP_MAX_AGE_SECONDS, DPOP_REQUEST, dpopKey } from './dpop-request.js'
import type { LibraryOps } from './types.js'

interface OurDPoPApi {
  importJWK(jwk: JWK): Promise<JoseKey>
  calculateJwkThumbprint(jwk: JWK): Promise<string>
  createDPoPProof(options: DPoPProofOptions): string | Promise<string>
  verifyDPoPProof(proof: string, options: DPoPVerifyOptions): DPoPVerifyResult | Promise<DPoPVerifyResult>
}

export async function ourDPoPOps(
  api: OurDPoPApi,
  fixtures: Fixtures,
): Promise<Pick<LibraryOps, 'dpopCreate' | 'dpopVerify'>> {
  const client = await api.importJWK(dpopKey(fixtures).privateJwk as JWK)
  const jkt = await api.calculateJwkThumbprint(dpopKey(fixtures).publicJwk as JWK)
  const options = { ...DPOP_REQUEST, accessToken: DPOP_ACCESS_TOKEN, jkt, maxAge: DPOP_MAX_AGE_SECONDS }
  return {
    dpopCreate: () => () =>
      api.createDPoPProof({ key: client, ...DPOP_REQUEST, accessToken: DPOP_ACCESS_TOKEN }),
    dpopVerify: () => (proof) => {
      // The Node entry answers synchronously: no promise is added to its row.
      const result = api.verifyDPoPProof(proof, options)
      return result instanceof Promise ? result.then((verified) => verified.claims) : result.claims
    },
  }
}
