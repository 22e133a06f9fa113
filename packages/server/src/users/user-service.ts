/**
 * @module Users: registration, login (constant work whether or not the user exists, throttled, with
 * rehash on login), and the administrative operations `tessera users add|list|disable` call.
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.js'
import { CredentialsInvalid, RequestInvalid, UserNotFound } from '../errors.js'
import type { Store, UserRecord } from '../store/types.js'
import { PasswordHasher } from './password-hash.js'
import {
  checkPassword,
  MAX_PASSWORD_LENGTH,
  normalizePassword,
  type PasswordPolicy,
} from './password-policy.js'
import { checkProfile, type ProfileInput } from './profile.js'
import { LoginThrottle, type ThrottlePolicy } from './throttle.js'

const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/

/** Usernames compare case-insensitively: stored NFKC, lower-cased. */
export function normalizeUsername(username: string): string {
  const normalized = username.normalize('NFKC').trim().toLowerCase()
  if (!USERNAME.test(normalized)) {
    throw new RequestInvalid(
      'username must be 2-64 characters: letters, digits, and . _ @ - (starting with a letter or digit)',
    )
  }
  return normalized
}

export interface PublicUser {
  id: string
  username: string
  disabled: boolean
  name: string | null
  email: string | null
  emailVerified: boolean
  createdAt: string
}

export function publicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    username: user.username,
    disabled: user.disabled,
    name: user.name ?? null,
    email: user.email ?? null,
    emailVerified: user.emailVerified ?? false,
    createdAt: new Date(user.createdAt).toISOString(),
  }
}

export interface UserServiceDeps {
  store: Store
  clock: Clock
  policy: PasswordPolicy & ThrottlePolicy
  hasher?: PasswordHasher
}

export class UserService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #policy: PasswordPolicy
  readonly hasher: PasswordHasher
  readonly throttle: LoginThrottle

  constructor(deps: UserServiceDeps) {
    this.#store = deps.store
    this.#clock = deps.clock
    this.#policy = deps.policy
    this.hasher = deps.hasher ?? new PasswordHasher()
    this.throttle = new LoginThrottle(deps.store, deps.policy)
  }

  async register(usernameInput: string, password: string, ip?: string): Promise<UserRecord> {
    const username = normalizeUsername(usernameInput)
    checkPassword(password, username, this.#policy)
    await this.throttle.registration(ip, this.#clock())
    return this.#store.users.create({
      id: randomUUID(),
      username,
      passwordHash: await this.hasher.hash(normalizePassword(password)),
      createdAt: this.#clock(),
    })
  }

  /** Checks credentials. Unknown, wrong and disabled all throw the same CredentialsInvalid. */
  async authenticate(usernameInput: string, password: string, ip?: string): Promise<UserRecord> {
    let username: string
    try {
      username = normalizeUsername(usernameInput)
    } catch {
      username = ''
    }
    const now = this.#clock()
    // Reserves this attempt until its outcome is stored, so parallel guesses cannot all pass the check.
    const end = await this.throttle.begin(username, ip, now)
    const candidate = normalizePassword(password)
    let user: UserRecord | undefined
    try {
      user = username ? await this.#store.users.findByUsername(username) : undefined
      const tooLong = [...candidate].length > MAX_PASSWORD_LENGTH
      let ok = false
      if (user && !tooLong) ok = await this.hasher.verify(user.passwordHash, candidate)
      else await this.hasher.burn(tooLong ? '' : candidate)
      if (!ok || !user || user.disabled) {
        await this.throttle.failure(username || '(invalid)', ip, now)
        await this.#store.audit.append({
          at: now,
          type: 'login.failed',
          userId: user?.id ?? null,
          ip: ip ?? null,
        })
        throw new CredentialsInvalid()
      }
      await this.throttle.success(username)
    } finally {
      end()
    }
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.#store.users.setPasswordHash(user.id, await this.hasher.hash(candidate), now)
    }
    return user
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.#store.users.findById(id)
  }

  async list(): Promise<PublicUser[]> {
    return (await this.#store.users.list()).map(publicUser)
  }

  /** Sets a user's name / email / email_verified (only those given; empty clears). Throws UserNotFound. */
  async setProfile(usernameInput: string, input: ProfileInput): Promise<PublicUser> {
    const username = normalizeUsername(usernameInput)
    const changes = checkProfile(input)
    const user = await this.#store.users.findByUsername(username)
    if (!user) throw new UserNotFound(`there is no user "${username}"`)
    const now = this.#clock()
    await this.#store.users.setProfile(user.id, changes, now)
    await this.#store.audit.append({
      at: now,
      type: 'user.profile_changed',
      userId: user.id,
      detail: { fields: Object.keys(changes) },
    })
    const updated = await this.#store.users.findById(user.id)
    return publicUser(updated ?? user)
  }

  /** Disables (or enables) an account; disabling also ends all its refresh families and sessions. */
  async setDisabled(usernameInput: string, disabled: boolean): Promise<PublicUser> {
    const username = normalizeUsername(usernameInput)
    const user = await this.#store.users.findByUsername(username)
    if (!user) throw new UserNotFound(`there is no user "${username}"`)
    const now = this.#clock()
    await this.#store.users.setDisabled(user.id, disabled, now)
    if (disabled) {
      await this.#store.refresh.revokeUserFamilies(user.id, 'user_disabled', now)
      await this.#store.sessions.deleteForUser(user.id)
    }
    await this.#store.audit.append({
      at: now,
      type: disabled ? 'user.disabled' : 'user.enabled',
      userId: user.id,
    })
    return publicUser({ ...user, disabled })
  }
}
