/**
 * @module Cross-checks with `jose` (panva, a devDependency) for every JWE `alg` × `enc` pair both
 * libraries implement: what we encrypt, jose decrypts; what jose encrypts, we decrypt; and we refuse a
 * one-bit change in every part of the token (first, middle and last byte of each segment).
 * RSA1_5 is in neither library's encrypt path (jose 6 dropped it; we refuse it as deprecated).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import * as jose from 'jose'
import { JWE_ALGORITHMS } from '../src/alg/jwe-algorithms.ts'
import {
  compactDecrypt,
  compactEncrypt,
  decodeBase64url,
  encodeBase64url,
  exportJWK,
  generateKeyPair,
  JOSEError,
  type JWK,
} from '../src/node.ts'
import { text, utf8 } from './support/vectors.ts'

const PLAINTEXT = 'cross-checked with jose'
const PASSWORD = utf8('a long and unguessable passphrase')
const SECRET_BYTES: Record<string, number> = {
  dir: 0,
  A128KW: 16,
  A192KW: 24,
  A256KW: 32,
  A128GCMKW: 16,
  A192GCMKW: 24,
  A256GCMKW: 32,
}
const CEK_BYTES: Record<string, number> = {
  A128GCM: 16,
  A192GCM: 24,
  A256GCM: 32,
  'A128CBC-HS256': 32,
  'A192CBC-HS384': 48,
  'A256CBC-HS512': 64,
}

interface Pair {
  alg: string
  enc: string
  crv?: string
  /** The decryption key (ours: JWK or bytes) and the encryption key. */
  keys: () => Promise<{ encrypt: JWK | Uint8Array; decrypt: JWK | Uint8Array }>
}

const asymmetric = new Map<string, Promise<{ privateJwk: JWK; publicJwk: JWK }>>()
function keyPair(alg: string, crv?: string) {
  const id = `${alg.startsWith('RSA') ? 'RSA' : alg}/${crv ?? ''}`
  let pair = asymmetric.get(id)
  if (!pair) {
    // One key per family and curve, shared by its algorithms: the JWK is left unbound (no "alg").
    const unbound = async (key: Parameters<typeof exportJWK>[0]) => {
      const { alg: _alg, ...jwk } = await exportJWK(key)
      return jwk
    }
    pair = generateKeyPair(alg, { crv, extractable: true }).then(async ({ privateKey, publicKey }) => ({
      privateJwk: await unbound(privateKey),
      publicJwk: await unbound(publicKey),
    }))
    asymmetric.set(id, pair)
  }
  return pair
}

const pairs: Pair[] = []
for (const alg of JWE_ALGORITHMS.alg) {
  if (alg === 'RSA1_5') continue
  for (const enc of JWE_ALGORITHMS.enc) {
    if (alg in SECRET_BYTES) {
      pairs.push({
        alg,
        enc,
        keys: async () => {
          const secret = new Uint8Array(randomBytes(alg === 'dir' ? CEK_BYTES[enc]! : SECRET_BYTES[alg]!))
          return { encrypt: secret, decrypt: secret }
        },
      })
    } else if (alg.startsWith('PBES2')) {
      pairs.push({ alg, enc, keys: async () => ({ encrypt: PASSWORD, decrypt: PASSWORD }) })
    } else if (alg.startsWith('ECDH-ES')) {
      // Every curve with one enc, every enc with P-256.
      for (const crv of enc === 'A256GCM' ? ['P-256', 'P-384', 'P-521', 'X25519'] : ['P-256']) {
        pairs.push({
          alg,
          enc,
          crv,
          keys: async () => {
            const { privateJwk, publicJwk } = await keyPair(alg, crv)
            return { encrypt: publicJwk, decrypt: privateJwk }
          },
        })
      }
    } else {
      pairs.push({
        alg,
        enc,
        keys: async () => {
          const { privateJwk, publicJwk } = await keyPair(alg)
          return { encrypt: publicJwk, decrypt: privateJwk }
        },
      })
    }
  }
}

async function joseKey(key: JWK | Uint8Array, alg: string) {
  return key instanceof Uint8Array ? key : jose.importJWK(key as jose.JWK, alg)
}

function flips(token: string): string[] {
  const parts = token.split('.')
  const out: string[] = []
  parts.forEach((segment, index) => {
    const bytes = decodeBase64url(segment)!
    for (const position of new Set([0, bytes.length >> 1, bytes.length - 1])) {
      if (bytes.length === 0) continue
      const changed = Uint8Array.from(bytes)
      changed[position]! ^= 0x01
      const copy = [...parts]
      copy[index] = encodeBase64url(changed)
      out.push(copy.join('.'))
    }
  })
  return out
}

describe('cross-checks with jose: every alg × enc both libraries support', () => {
  for (const pair of pairs) {
    const name = `${pair.alg} ${pair.enc}${pair.crv ? ` ${pair.crv}` : ''}`
    const options = {
      keyManagementAlgorithms: [pair.alg],
      contentEncryptionAlgorithms: [pair.enc],
      ...(pair.alg.startsWith('PBES2') ? { maxPBES2Count: 10_000 } : {}),
    }
    const p2c = pair.alg.startsWith('PBES2') ? { p2c: 1000 } : {}
    test(`${name}: ours → jose`, async () => {
      const keys = await pair.keys()
      const jwe = await compactEncrypt(utf8(PLAINTEXT), keys.encrypt, {
        alg: pair.alg,
        enc: pair.enc,
        ...p2c,
      })
      const { plaintext, protectedHeader } = await jose.compactDecrypt(
        jwe,
        await joseKey(keys.decrypt, pair.alg),
        {
          keyManagementAlgorithms: [pair.alg],
          contentEncryptionAlgorithms: [pair.enc],
        },
      )
      assert.equal(text(plaintext), PLAINTEXT)
      assert.equal(protectedHeader.alg, pair.alg)
    })
    test(`${name}: jose → ours, and ours refuses every one-bit change`, async () => {
      const keys = await pair.keys()
      const header: jose.CompactJWEHeaderParameters = { alg: pair.alg, enc: pair.enc }
      const encrypter = new jose.CompactEncrypt(utf8(PLAINTEXT)).setProtectedHeader(header)
      if (pair.alg.startsWith('PBES2')) encrypter.setKeyManagementParameters({ p2c: 1000 })
      const jwe = await encrypter.encrypt(await joseKey(keys.encrypt, pair.alg))
      const { plaintext } = await compactDecrypt(jwe, keys.decrypt, options)
      assert.equal(text(plaintext), PLAINTEXT)
      for (const forged of flips(jwe)) {
        let outcome: unknown
        try {
          outcome = await compactDecrypt(forged, keys.decrypt, options)
        } catch (error) {
          assert.ok(error instanceof JOSEError, `not a typed error: ${String(error)}`)
          continue
        }
        assert.fail(`a one-bit change was accepted: ${JSON.stringify(outcome)}`)
      }
    })
  }
  test('zip: DEF both ways', async () => {
    const key = new Uint8Array(randomBytes(32))
    const ours = await compactEncrypt(utf8(PLAINTEXT.repeat(50)), key, {
      alg: 'dir',
      enc: 'A256GCM',
      zip: 'DEF',
    })
    const opened = await jose.compactDecrypt(ours, key, {
      maxDecompressedLength: 250_000,
    } as jose.DecryptOptions)
    assert.equal(text(opened.plaintext), PLAINTEXT.repeat(50))
    const theirs = await new jose.CompactEncrypt(utf8(PLAINTEXT.repeat(50)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' })
      .encrypt(key)
    const { plaintext } = await compactDecrypt(theirs, key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    assert.equal(text(plaintext), PLAINTEXT.repeat(50))
  })
})
