/**
 * @module Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1; OWASP Password
 * Storage Cheat Sheet), a check of whether a stored hash needs a rehash, and a dummy hash so that a
 * login for an unknown user costs the same time as one for a real user.
 */
import { hash, verify } from '@node-rs/argon2'

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, which isolated modules cannot read). */
const ARGON2ID = 2

export interface Argon2Params {
  memoryCost: number
  timeCost: number
  parallelism: number
}

export const OWASP_ARGON2ID: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 }

export class PasswordHasher {
  readonly params: Argon2Params
  #dummy: Promise<string> | undefined

  constructor(params: Argon2Params = OWASP_ARGON2ID) {
    this.params = params
  }

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, ...this.params })
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password)
    } catch {
      return false
    }
  }

  /** Verifies against a hash of a random password with the same parameters: same cost, never true. */
  async burn(password: string): Promise<void> {
    this.#dummy ??= this.hash(`dummy-${Math.random()}-${Date.now()}`)
    await this.verify(await this.#dummy, password)
  }

  /** True when the stored PHC string was made with other parameters (or another algorithm). */
  needsRehash(stored: string): boolean {
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored)
    if (!match) return true
    return (
      Number(match[1]) !== this.params.memoryCost ||
      Number(match[2]) !== this.params.timeCost ||
      Number(match[3]) !== this.params.parallelism
    )
  }
}
