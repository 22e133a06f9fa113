/**
 * @module DPoP server nonces (RFC 9449 §8) without state: a nonce is the HMAC-SHA256 of a time step under
 * a key derived from TESSERA_SECRET, so every instance sharing the secret makes and accepts the same ones
 * with nothing stored or synchronised. The current and the previous step are accepted: a nonce handed
 * out just before a step ends still works for one whole step.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../clock.js'

/**
 * Seconds per step. A nonce lives one to two steps: long enough that a client rarely has to retry, short
 * enough that proofs made ahead of time (the §8 threat: a stolen key signing proofs for later) die soon.
 */
export const NONCE_STEP_SECONDS = 300

export interface DPoPNonces {
  /** The nonce to hand out now (`DPoP-Nonce`). */
  current(): string
  /** Whether `nonce` belongs to the current or the previous step. */
  accepts(nonce: string): boolean
}

/** 128 bits of the HMAC: unguessable, and 22 characters in every header. */
const NONCE_BYTES = 16
const NONCE_LENGTH = 22

export function dpopNonces(key: Buffer, clock: Clock, stepSeconds = NONCE_STEP_SECONDS): DPoPNonces {
  const forStep = (step: number): Buffer =>
    createHmac('sha256', key).update(`dpop-nonce:${step}`).digest().subarray(0, NONCE_BYTES)
  const stepNow = () => Math.floor(clock() / 1000 / stepSeconds)
  let cached: { step: number; nonce: string } | undefined
  return {
    current() {
      const step = stepNow()
      if (cached?.step !== step) cached = { step, nonce: forStep(step).toString('base64url') }
      return cached.nonce
    },
    accepts(nonce) {
      if (nonce.length !== NONCE_LENGTH) return false
      const given = Buffer.from(nonce, 'base64url')
      if (given.length !== NONCE_BYTES || given.toString('base64url') !== nonce) return false
      const step = stepNow()
      return timingSafeEqual(given, forStep(step)) || timingSafeEqual(given, forStep(step - 1))
    },
  }
}
