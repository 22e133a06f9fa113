/**
 * @module A user's profile as OpenID Connect shares it (`name`, `email`, `email_verified`): checked
 * once here, before it is stored, so what `/userinfo` and ID tokens carry is always well-formed.
 */
import { RequestInvalid } from '../errors.js'
import type { UserProfileChanges } from '../store/types.js'

export interface ProfileInput {
  /** A display name; empty string or null clears it. */
  name?: string | null
  /** An email address; empty string or null clears it. */
  email?: string | null
  emailVerified?: boolean
}

// Deliberately loose (one @, no spaces, a dot in the domain): the address is shown, never mailed here.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/
// Control characters have no place in a name a relying party will display.
const CONTROL = /\p{Cc}/u

export function checkProfile(input: ProfileInput): UserProfileChanges {
  const changes: UserProfileChanges = {}
  if (input.name !== undefined) {
    const name = input.name === null ? '' : input.name.normalize('NFC').trim()
    if (name.length > 200 || CONTROL.test(name))
      throw new RequestInvalid('name must be at most 200 characters, without control characters')
    changes.name = name === '' ? null : name
  }
  if (input.email !== undefined) {
    const email = input.email === null ? '' : input.email.trim()
    if (email !== '' && (email.length > 254 || !EMAIL.test(email)))
      throw new RequestInvalid('email must look like name@example.com (at most 254 characters)')
    changes.email = email === '' ? null : email
  }
  if (input.emailVerified !== undefined) changes.emailVerified = input.emailVerified
  return changes
}
