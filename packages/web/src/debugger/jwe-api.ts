/**
 * @module The JWE algorithm names offered in the selects: the library's own list when its entry point
 * exports one, else RFC 7518 §4.1 / §5.1. WebCrypto refuses what it lacks (RSA1_5, X448, AES-192 on
 * Chromium) with ERR_JOSE_NOT_SUPPORTED, which the page explains.
 */
import * as jose from '@tessera/jose'

const RFC_7518 = {
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
    'RSA-OAEP-384',
    'RSA-OAEP-512',
    'ECDH-ES',
    'ECDH-ES+A128KW',
    'ECDH-ES+A192KW',
    'ECDH-ES+A256KW',
    'PBES2-HS256+A128KW',
    'PBES2-HS384+A192KW',
    'PBES2-HS512+A256KW',
  ],
  enc: ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'],
}

const exported = (jose as unknown as { JWE_ALGORITHMS?: { alg: readonly string[]; enc: readonly string[] } })
  .JWE_ALGORITHMS

export const JWE_ALGS: { alg: readonly string[]; enc: readonly string[] } = exported ?? RFC_7518
