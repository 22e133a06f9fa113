/**
 * @module The one decryption step every serialization ends in (RFC 7516 §5.2 steps 5-16) for one
 * recipient: allow-lists, then IV/tag lengths, then key resolution and the key-versus-`alg` check,
 * then CEK recovery, content decryption with the protected header as AAD, and capped inflation.
 */
import type { KeyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { KeyInputInvalid } from '../errors.js'
import { chain } from '../util/maybe-promise.js'
import { pickContentEncryption, pickKeyManagement } from './allow-list.js'
import { checkJweKey } from './check-jwe-key.js'
import { decompress } from './compression.js'
import { checkContentLengths, decryptContent } from './content.js'
import type { CheckedJweHeader } from './header.js'
import { decryptKey, type RecipientSecret } from './key-decrypt.js'
import { jweKey, passwordBytes } from './key-input.js'
import type { DecryptPolicy } from './options.js'

/** The decoded parts shared by every recipient of one JWE. */
export interface ParsedContent {
  iv: Uint8Array
  ciphertext: Uint8Array
  tag: Uint8Array
  /** ASCII(BASE64URL(protected)) [ || '.' || BASE64URL(aad) ] (RFC 7516 §5.2 step 14). */
  aad: Uint8Array
}

function secretFromInput(
  jwe: JweBackend,
  alg: KeyManagementAlgorithm,
  input: unknown,
): MaybePromise<RecipientSecret> {
  if (alg.family === 'pbes2') {
    const password = passwordBytes(input)
    if (password !== undefined) return chain(password, (bytes) => ({ password: bytes }))
  }
  return chain(jweKey(jwe, alg, input), (key) => ({ key }))
}

function recipientSecret(
  jwe: JweBackend,
  alg: KeyManagementAlgorithm,
  keyLike: unknown,
  header: Record<string, unknown>,
  token: unknown,
): MaybePromise<RecipientSecret> {
  // One key: no closure per call (it showed in the `dir` decrypt profile).
  if (typeof keyLike !== 'function') return secretFromInput(jwe, alg, keyLike)
  let resolved: unknown
  try {
    resolved = (keyLike as (header: unknown, token: unknown) => unknown)(header, token)
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw error
    throw new KeyInputInvalid('the key resolver threw an error', { cause: error })
  }
  return chain(resolved as MaybePromise<unknown>, (input) => secretFromInput(jwe, alg, input))
}

export function decryptRecipient(
  jwe: JweBackend,
  policy: DecryptPolicy,
  keyLike: unknown,
  checked: CheckedJweHeader,
  encryptedKey: Uint8Array | undefined,
  content: ParsedContent,
  token: unknown,
): MaybePromise<Uint8Array> {
  const alg = pickKeyManagement(policy.allowed, checked.alg)
  const enc = pickContentEncryption(policy.allowed, checked.enc)
  checkContentLengths(enc, content.iv, content.tag)
  return chain(recipientSecret(jwe, alg, keyLike, checked.joined, token), (secret) => {
    if ('key' in secret) checkJweKey(secret.key, alg, enc, 'decrypt')
    return chain(
      decryptKey(jwe, alg, enc, secret, checked.joined, encryptedKey, {
        maxPBES2Count: policy.maxPBES2Count,
      }),
      (cek) =>
        chain(
          decryptContent(jwe, enc, cek, content.iv, content.ciphertext, content.tag, content.aad),
          (plaintext) => decompress(jwe, checked.zip, plaintext, policy.maxDecompressedLength),
        ),
    )
  })
}
