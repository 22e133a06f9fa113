/**
 * @module The floor: each operation written directly on node:crypto with no library. Signing encodes the
 * header on every call (a real JWT signer must emit it); verification knows its one algorithm, so it skips
 * the header and does only what any verifier must: the signature, the payload's JSON, exp/iss/aud.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import {
  AUDIENCE,
  CLAIMS,
  ISSUER,
  JWE_PLAINTEXT,
  type JweCase,
  type JwsAlg,
  keyObjects,
  LIFETIME_SECONDS,
} from '../fixtures.js'
import type { Library, LibraryOps } from './types.js'

function signOptions(alg: JwsAlg, key: KeyObject) {
  if (alg === 'PS256') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
  if (alg === 'ES256') return { key, dsaEncoding: 'ieee-p1363' as const }
  return key
}

const HASH: Record<JwsAlg, string | null> = {
  HS256: 'sha256',
  RS256: 'sha256',
  PS256: 'sha256',
  ES256: 'sha256',
  EdDSA: null,
}

function checkClaims(payload: { iss?: unknown; aud?: unknown; exp?: unknown }): void {
  if (payload.iss !== ISSUER) throw new Error('iss')
  const aud = payload.aud
  if (!(aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE)))) throw new Error('aud')
  if (typeof payload.exp !== 'number' || payload.exp <= Math.floor(Date.now() / 1000)) throw new Error('exp')
}

const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex')

function gcmEncrypt(cek: Buffer, headerSegment: string, encryptedKey: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', cek, iv)
  cipher.setAAD(Buffer.from(headerSegment, 'latin1'))
  const ciphertext = Buffer.concat([cipher.update(JWE_PLAINTEXT, 'latin1'), cipher.final()])
  const tag = cipher.getAuthTag()
  return `${headerSegment}.${encryptedKey}.${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`
}

function gcmDecrypt(cek: Buffer, parts: string[]): Uint8Array {
  const decipher = createDecipheriv('aes-256-gcm', cek, Buffer.from(parts[2]!, 'base64url'))
  decipher.setAAD(Buffer.from(parts[0]!, 'latin1'))
  decipher.setAuthTag(Buffer.from(parts[4]!, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()])
}

function lengthPrefixed(data: Buffer): Buffer {
  const out = Buffer.alloc(4 + data.length)
  out.writeUInt32BE(data.length, 0)
  data.copy(out, 4)
  return out
}

/** RFC 7518 §4.6.2 Concat KDF for a 256-bit key: one SHA-256 round. */
function concatKdf(z: Buffer, alg: string): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0, 0, 0, 1]))
    .update(z)
    .update(lengthPrefixed(Buffer.from(alg)))
    .update(lengthPrefixed(Buffer.alloc(0)))
    .update(lengthPrefixed(Buffer.alloc(0)))
    .update(Buffer.from([0, 0, 1, 0]))
    .digest()
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export const library: Library = {
  name: 'raw',
  async setup(fixtures) {
    const keys = Object.fromEntries(
      Object.entries(fixtures.jws).map(([alg, m]) => [alg, keyObjects(m)]),
    ) as Record<JwsAlg, ReturnType<typeof keyObjects>>
    const jweKeys = Object.fromEntries(Object.entries(fixtures.jwe).map(([name, m]) => [name, keyObjects(m)]))

    const forge = (alg: JwsAlg, claims: Record<string, unknown>) => {
      const input = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`
      const key = keys[alg].privateKey
      const signature =
        alg === 'HS256'
          ? createHmac('sha256', key).update(input).digest('base64url')
          : cryptoSign(HASH[alg], Buffer.from(input, 'latin1'), signOptions(alg, key)).toString('base64url')
      return `${input}.${signature}`
    }

    const ops: LibraryOps = {
      forge,
      sign: (alg) => () => {
        const now = Math.floor(Date.now() / 1000)
        // Object.assign, not a spread: the fastest copy on V8 (see CLAIMS), so the floor stays a floor.
        const payload: Record<string, unknown> = Object.assign({}, CLAIMS)
        payload.iat = now
        payload.exp = now + LIFETIME_SECONDS
        payload.iss = ISSUER
        payload.aud = AUDIENCE
        return forge(alg, payload)
      },
      verify(alg) {
        const key = keys[alg].publicKey
        return (token) => {
          const first = token.indexOf('.')
          const second = token.indexOf('.', first + 1)
          const input = token.slice(0, second)
          const signature = Buffer.from(token.slice(second + 1), 'base64url')
          let valid: boolean
          if (alg === 'HS256') {
            const expected = createHmac('sha256', key).update(input).digest()
            valid = expected.length === signature.length && timingSafeEqual(expected, signature)
          } else {
            valid = cryptoVerify(HASH[alg], Buffer.from(input, 'latin1'), signOptions(alg, key), signature)
          }
          if (!valid) throw new Error('signature')
          const payload = JSON.parse(
            Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'),
          )
          checkClaims(payload)
          return payload
        }
      },
      decode: () => (token) => {
        const first = token.indexOf('.')
        return JSON.parse(
          Buffer.from(token.slice(first + 1, token.indexOf('.', first + 1)), 'base64url').toString('utf8'),
        )
      },
      encrypt(jwe: JweCase) {
        const { publicKey, privateKey } = jweKeys[jwe.name]!
        const cek32 = () => randomBytes(32)
        switch (jwe.alg) {
          case 'dir':
            return () => gcmEncrypt(privateKey.export(), b64({ alg: 'dir', enc: 'A256GCM' }), '')
          case 'A256KW': {
            const kek = privateKey.export()
            return () => {
              const cek = cek32()
              const wrapper = createCipheriv('id-aes256-wrap', kek, KW_IV)
              const wrapped = Buffer.concat([wrapper.update(cek), wrapper.final()])
              return gcmEncrypt(cek, b64({ alg: 'A256KW', enc: 'A256GCM' }), wrapped.toString('base64url'))
            }
          }
          case 'RSA-OAEP-256':
            return () => {
              const cek = cek32()
              const wrapped = publicEncrypt(
                { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
                cek,
              )
              return gcmEncrypt(
                cek,
                b64({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }),
                wrapped.toString('base64url'),
              )
            }
          case 'ECDH-ES+A256KW':
            return () => {
              const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' })
              const kek = concatKdf(diffieHellman({ privateKey: ephemeral.privateKey, publicKey }), jwe.alg)
              const cek = cek32()
              const wrapper = createCipheriv('id-aes256-wrap', kek, KW_IV)
              const wrapped = Buffer.concat([wrapper.update(cek), wrapper.final()])
              const { kty, crv, x, y } = ephemeral.publicKey.export({ format: 'jwk' })
              const header = b64({ alg: jwe.alg, enc: 'A256GCM', epk: { kty, crv, x, y } })
              return gcmEncrypt(cek, header, wrapped.toString('base64url'))
            }
        }
        return undefined
      },
      decrypt(jwe: JweCase) {
        const { privateKey } = jweKeys[jwe.name]!
        const unwrap = (kek: Buffer, encryptedKey: string) => {
          const unwrapper = createDecipheriv('id-aes256-wrap', kek, KW_IV)
          return Buffer.concat([unwrapper.update(Buffer.from(encryptedKey, 'base64url')), unwrapper.final()])
        }
        switch (jwe.alg) {
          case 'dir': {
            const cek = privateKey.export()
            return (token) => gcmDecrypt(cek, token.split('.'))
          }
          case 'A256KW': {
            const kek = privateKey.export()
            return (token) => {
              const parts = token.split('.')
              return gcmDecrypt(unwrap(kek, parts[1]!), parts)
            }
          }
          case 'RSA-OAEP-256':
            return (token) => {
              const parts = token.split('.')
              const cek = privateDecrypt(
                { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
                Buffer.from(parts[1]!, 'base64url'),
              )
              return gcmDecrypt(cek, parts)
            }
          case 'ECDH-ES+A256KW':
            return (token) => {
              const parts = token.split('.')
              const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'))
              const epk = createPublicKey({ key: header.epk, format: 'jwk' })
              const kek = concatKdf(diffieHellman({ privateKey, publicKey: epk }), jwe.alg)
              return gcmDecrypt(unwrap(kek, parts[1]!), parts)
            }
        }
        return undefined
      },
    }
    return ops
  },
}
