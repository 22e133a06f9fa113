/**
 * @module DPoP for the SDK (RFC 9449): the non-extractable P-256 key pair made by WebCrypto, a proof per
 * request signed by it (`createDPoPProof` of @tessera/jose), and the servers' nonces (§8, §9), kept per
 * origin from every `DPoP-Nonce` answer.
 */
import { calculateJwkThumbprint, createDPoPProof, type JWK } from '@tessera/jose/webcrypto'

/** A new ES256 key pair whose private half script cannot export (`extractable: false`). */
export function generateDPoPKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>
}

/**
 * The RFC 7638 thumbprint of the pair's public key, for `dpop_jkt` (RFC 9449 §10). A pair's public half
 * is always exportable; the private half never is.
 */
export async function keyThumbprint(keyPair: CryptoKeyPair): Promise<string> {
  return calculateJwkThumbprint((await crypto.subtle.exportKey('jwk', keyPair.publicKey)) as JWK)
}

export interface ProofRequest {
  method: string
  url: string
  /** The access token the request carries (adds `ath`). */
  accessToken?: string
}

export class DPoPSigner {
  readonly #keyPair: CryptoKeyPair
  readonly #nonces: Map<string, string>

  constructor(keyPair: CryptoKeyPair, nonces: Map<string, string>) {
    this.#keyPair = keyPair
    this.#nonces = nonces
  }

  /** The `DPoP` header value for one request, with the nonce its origin last asked for. */
  proof(request: ProofRequest): Promise<string> {
    const nonce = this.#nonces.get(new URL(request.url).origin)
    return createDPoPProof({
      key: this.#keyPair,
      htm: request.method,
      htu: request.url,
      ...(request.accessToken === undefined ? {} : { accessToken: request.accessToken }),
      ...(nonce === undefined ? {} : { nonce }),
    })
  }
}

/** Remembers the nonce a server sent (RFC 9449 §8.2: the latest one replaces the one before). */
export function noteNonce(nonces: Map<string, string>, url: string, response: Response): void {
  const nonce = response.headers.get('dpop-nonce')
  if (nonce !== null && nonce.length > 0 && nonce.length <= 1024) nonces.set(new URL(url).origin, nonce)
}

/** True when a 400/401 answer asks for a (new) nonce: `use_dpop_nonce` (RFC 9449 §8, §9). */
export function asksForNonce(response: Response, oauthError?: string): boolean {
  if (oauthError === 'use_dpop_nonce') return true
  const challenge = response.headers.get('www-authenticate') ?? ''
  return /\berror="?use_dpop_nonce"?/i.test(challenge)
}
