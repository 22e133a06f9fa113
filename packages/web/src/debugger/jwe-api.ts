/**
 * @module The library's JWE functions, looked up on its namespace so the page builds and says "not
 * available in this build" (instead of failing) while @tessera/jose ships without them.
 */
import * as jose from '@tessera/jose'
import { WebError } from './web-error.js'

export interface JweApi {
  compactEncrypt(
    plaintext: Uint8Array,
    key: unknown,
    options: { alg: string; enc: string; cty?: string; typ?: string },
  ): Promise<string>
  compactDecrypt(
    jwe: string,
    key: unknown,
    options: { keyManagementAlgorithms: readonly string[]; contentEncryptionAlgorithms: readonly string[] },
  ): Promise<{ plaintext: Uint8Array; protectedHeader: Record<string, unknown> }>
}

// RFC 7518 §4.1 and §5.1, used only when the library does not list its own.
const FALLBACK = {
  alg: [
    'dir',
    'A128KW',
    'A192KW',
    'A256KW',
    'A128GCMKW',
    'A192GCMKW',
    'A256GCMKW',
    'RSA-OAEP',
    'RSA-OAEP-256',
    'ECDH-ES',
    'ECDH-ES+A128KW',
    'ECDH-ES+A256KW',
    'PBES2-HS256+A128KW',
    'PBES2-HS512+A256KW',
  ],
  enc: ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'],
}

const namespace = jose as unknown as Partial<JweApi> & {
  JWE_ALGORITHMS?: { alg: readonly string[]; enc: readonly string[] }
}

export const JWE_ALGS: { alg: readonly string[]; enc: readonly string[] } =
  namespace.JWE_ALGORITHMS ?? FALLBACK

export function jweApi(): JweApi {
  const { compactEncrypt, compactDecrypt } = namespace
  if (typeof compactEncrypt !== 'function' || typeof compactDecrypt !== 'function') {
    throw new WebError('ERR_WEB_JWE_UNAVAILABLE', 'this build of @tessera/jose has no JWE functions')
  }
  return { compactEncrypt, compactDecrypt }
}
