/**
 * @module Is this key fit for this JWE key management algorithm? The key's type and size decide:
 * an AES key of the wrong length, an RSA key under 2048 bits, an ECDH key on another curve, or a key
 * bound to another `alg` is refused before any cryptography runs.
 */
import {
  type ContentEncryptionAlgorithm,
  ECDH_CURVES,
  type KeyManagementAlgorithm,
} from '../alg/jwe-algorithms.js'
import { KeyAlgMismatch, KeyTooWeak, KeyUsageForbidden } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'

const OPS: Record<KeyManagementAlgorithm['family'], { encrypt: string[]; decrypt: string[] }> = {
  dir: { encrypt: ['encrypt'], decrypt: ['decrypt'] },
  'aes-kw': { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  'aes-gcm-kw': { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  'rsa-oaep': { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  rsa1_5: { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  'ecdh-es': { encrypt: ['deriveKey', 'deriveBits'], decrypt: ['deriveKey', 'deriveBits'] },
  pbes2: { encrypt: ['deriveKey', 'deriveBits'], decrypt: ['deriveKey', 'deriveBits'] },
}

/** Throws a typed error unless `key` may be used for `alg` (and, for `dir`, `enc`). Pure: no crypto. */
export function checkJweKey(
  key: JoseKey,
  alg: KeyManagementAlgorithm,
  enc: ContentEncryptionAlgorithm,
  usage: 'encrypt' | 'decrypt',
): void {
  // A `dir` key is commonly bound to its `enc` (RFC 7520 §5.6 binds it to "A128GCM").
  if (key.alg !== undefined && key.alg !== alg.name && !(alg.family === 'dir' && key.alg === enc.name)) {
    throw new KeyAlgMismatch(`the key is bound to "${key.alg}" and cannot be used with "${alg.name}"`)
  }
  if (key.use !== undefined && key.use !== 'enc') {
    throw new KeyUsageForbidden(`the key's "use" is "${key.use}": it is not an encryption key`)
  }
  const ops = OPS[alg.family][usage]
  if (key.keyOps !== undefined && !key.keyOps.some((op) => ops.includes(op))) {
    throw new KeyUsageForbidden(`the key's "key_ops" include none of ${ops.join(', ')}`)
  }
  switch (alg.family) {
    case 'dir':
      secret(key, alg, enc.cekBytes, `${enc.name} as a direct key`)
      return
    case 'aes-kw':
    case 'aes-gcm-kw':
      secret(key, alg, alg.kekBytes!, alg.name)
      return
    case 'pbes2':
      if (key.kty !== 'oct')
        throw new KeyAlgMismatch(`${alg.name} needs a password (string or bytes), not a ${key.describe()}`)
      return
    case 'rsa-oaep':
    case 'rsa1_5':
      if (key.kty !== 'RSA' || key.pss !== undefined) {
        throw new KeyAlgMismatch(`${alg.name} needs an RSA key, not a ${key.describe()}`)
      }
      if (key.bits < 2048)
        throw new KeyTooWeak(`${alg.name} needs an RSA key of at least 2048 bits, not ${key.bits}`)
      if (usage === 'decrypt' && key.type !== 'private') {
        throw new KeyUsageForbidden(`decrypting with ${alg.name} needs the private key`)
      }
      return
    case 'ecdh-es':
      if ((key.kty !== 'EC' && key.kty !== 'OKP') || !ECDH_CURVES.has(key.crv ?? '')) {
        throw new KeyAlgMismatch(
          `${alg.name} needs an EC P-256/P-384/P-521 or OKP X25519/X448 key, not a ${key.describe()}`,
        )
      }
      if (usage === 'decrypt' && key.type !== 'private') {
        throw new KeyUsageForbidden(`decrypting with ${alg.name} needs the private key`)
      }
      return
  }
}

function secret(key: JoseKey, alg: KeyManagementAlgorithm, bytes: number, what: string): void {
  if (key.kty !== 'oct') throw new KeyAlgMismatch(`${alg.name} needs a secret key, not a ${key.describe()}`)
  if (key.bits !== bytes * 8) {
    throw new KeyAlgMismatch(`${what} needs a key of exactly ${bytes * 8} bits; this one has ${key.bits}`)
  }
}
