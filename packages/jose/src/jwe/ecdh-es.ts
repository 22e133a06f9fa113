/**
 * @module ECDH-ES key agreement (RFC 7518 §4.6, RFC 8037 §3.2): the sender's ephemeral key, and the
 * recipient's checks on the `epk` it receives. An `epk` must be a public key on exactly the curve of
 * the recipient's key; the import rejects points off the curve (invalid-curve attack) and the backend
 * rejects small-order X25519/X448 points (an all-zero shared secret).
 */
import type { KeyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSEError, JWEInvalid, KeyAlgMismatch } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'
import { toJoseKey } from '../jwk/key-input.js'
import { keyPairSpec } from '../jwk/spec.js'
import type { JWK } from '../jwk/types.js'
import { checkJwk } from '../jwk/validate.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { concatKdf } from './concat-kdf.js'

/** The derived key: the CEK itself for direct ECDH-ES, the AES-KW key otherwise. */
function deriveFromZ(
  jwe: JweBackend,
  z: Uint8Array,
  alg: KeyManagementAlgorithm,
  encName: string,
  cekBytes: number,
  apu: Uint8Array | undefined,
  apv: Uint8Array | undefined,
): MaybePromise<Uint8Array> {
  return alg.direct
    ? concatKdf(jwe.keys, z, cekBytes, encName, apu, apv)
    : concatKdf(jwe.keys, z, alg.kekBytes!, alg.name, apu, apv)
}

export interface SenderAgreement {
  derived: Uint8Array
  epk: JWK
}

/** The sender's side: a fresh ephemeral key (or the caller's fixed one) on the recipient's curve. */
export function senderAgreement(
  jwe: JweBackend,
  recipient: JoseKey,
  alg: KeyManagementAlgorithm,
  encName: string,
  cekBytes: number,
  apu: Uint8Array | undefined,
  apv: Uint8Array | undefined,
  fixedEpk: unknown,
): MaybePromise<SenderAgreement> {
  const ephemeral: MaybePromise<JoseKey> =
    fixedEpk === undefined
      ? chain(
          jwe.keys.generateKeyPair(keyPairSpec('ECDH-ES', { crv: recipient.crv! }), 'ECDH-ES', false),
          (pair) => pair.privateKey,
        )
      : toJoseKey(jwe.keys, fixedEpk)
  return chain(ephemeral, (privateKey) => {
    if (
      privateKey.type !== 'private' ||
      privateKey.kty !== recipient.kty ||
      privateKey.crv !== recipient.crv
    ) {
      throw new KeyAlgMismatch(
        `the fixed "epk" must be a private key on ${recipient.crv}, like the recipient's key`,
      )
    }
    return chain(jwe.keys.publicKeyOf(privateKey), (publicKey) =>
      chain(jwe.keys.exportJWK(publicKey), (exported) =>
        chain(jwe.ecdh(privateKey, recipient), (z) =>
          chain(deriveFromZ(jwe, z, alg, encName, cekBytes, apu, apv), (derived) => {
            const epk: JWK = { kty: exported.kty!, crv: exported.crv!, x: exported.x! }
            if (exported.y !== undefined) epk.y = exported.y
            return { derived, epk }
          }),
        ),
      ),
    )
  })
}

/** The recipient's side: check and import `epk`, agree, derive. */
export function recipientAgreement(
  jwe: JweBackend,
  privateKey: JoseKey,
  epk: unknown,
  alg: KeyManagementAlgorithm,
  encName: string,
  cekBytes: number,
  apu: Uint8Array | undefined,
  apv: Uint8Array | undefined,
): MaybePromise<Uint8Array> {
  if (!isJsonObject(epk))
    throw new JWEInvalid(`"${alg.name}" needs an "epk" header parameter holding a public JWK`)
  let checked: ReturnType<typeof checkJwk>
  try {
    checked = checkJwk(epk)
  } catch (error) {
    throw new JWEInvalid(`the "epk" is not a valid JWK: ${(error as Error).message}`)
  }
  if (checked.isPrivate) throw new JWEInvalid('the "epk" must be a public key (it has a "d" member)')
  if (checked.jwk.kty !== privateKey.kty || checked.jwk.crv !== privateKey.crv) {
    throw new JWEInvalid(
      `the "epk" is a ${String(checked.jwk.kty)} ${String(checked.jwk.crv)} key but the recipient's key is ${privateKey.kty} ${privateKey.crv}`,
    )
  }
  const material: JWK = { kty: checked.jwk.kty, crv: checked.jwk.crv, x: checked.jwk.x }
  if (checked.jwk.y !== undefined) material.y = checked.jwk.y
  let imported: MaybePromise<JoseKey>
  try {
    imported = jwe.keys.importJWK(material, 'ECDH-ES')
  } catch (error) {
    throw epkError(error)
  }
  const agreed = chain(imported, (publicKey) =>
    chain(jwe.ecdh(privateKey, publicKey), (z) => deriveFromZ(jwe, z, alg, encName, cekBytes, apu, apv)),
  )
  return agreed instanceof Promise
    ? agreed.catch((error: unknown) => Promise.reject(epkError(error)))
    : agreed
}

function epkError(error: unknown): JOSEError {
  if (error instanceof JWEInvalid) return error
  if (error instanceof JOSEError && error.code !== 'ERR_JWK_INVALID') return error
  return new JWEInvalid('the "epk" is not a valid point on the recipient\'s curve (invalid-curve attack?)')
}
