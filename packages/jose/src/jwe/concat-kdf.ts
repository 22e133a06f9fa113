/**
 * @module The Concat KDF of RFC 7518 §4.6.2 (NIST SP 800-56A §5.8.1, single-step, SHA-256), written
 * once over the backend's SHA-256 so both runtimes derive identical keys.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { concatBytes, uint32be, utf8Encode } from '../util/bytes.js'
import { chain } from '../util/maybe-promise.js'

function lengthPrefixed(data: Uint8Array): Uint8Array {
  return concatBytes(uint32be(data.length), data)
}

/**
 * `keyBytes` of key material from the shared secret `z`. `algorithmId` is the `enc` name for direct
 * ECDH-ES, the `alg` name otherwise (§4.6.2); `apu`/`apv` are the decoded PartyUInfo/PartyVInfo.
 */
export function concatKdf(
  backend: Backend,
  z: Uint8Array,
  keyBytes: number,
  algorithmId: string,
  apu: Uint8Array | undefined,
  apv: Uint8Array | undefined,
): MaybePromise<Uint8Array> {
  const otherInfo = concatBytes(
    lengthPrefixed(utf8Encode(algorithmId)),
    lengthPrefixed(apu ?? new Uint8Array(0)),
    lengthPrefixed(apv ?? new Uint8Array(0)),
    uint32be(keyBytes * 8),
  )
  const rounds = Math.ceil(keyBytes / 32)
  const out = new Uint8Array(rounds * 32)
  const round = (counter: number): MaybePromise<Uint8Array> => {
    if (counter > rounds) return out.subarray(0, keyBytes)
    return chain(backend.digest('SHA-256', concatBytes(uint32be(counter), z, otherInfo)), (hash) => {
      out.set(hash, (counter - 1) * 32)
      return round(counter + 1)
    })
  }
  return round(1)
}
