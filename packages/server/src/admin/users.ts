/**
 * @module User administration for `tessera users add|list|disable`: opens the configured store, does
 * one thing, closes it. Works while a server runs on the same SQLite file (WAL, busy timeout).
 */
import type { ServerConfig } from '../config.js'
import { endAnnouncedSessions } from '../oidc/logout/end-session.js'
import { createServices } from '../services.js'
import { checkProfile, type ProfileInput } from '../users/profile.js'
import { type PublicUser, publicUser } from '../users/user-service.js'

async function withServices<T>(
  config: ServerConfig,
  run: (s: Awaited<ReturnType<typeof createServices>>) => Promise<T>,
): Promise<T> {
  const services = await createServices(config)
  try {
    return await run(services)
  } finally {
    await services.close()
  }
}

/** Adds a user (the password policy applies). Throws UserExists / PasswordRejected / RequestInvalid. */
export function addUser(
  config: ServerConfig,
  username: string,
  password: string,
  profile: ProfileInput = {},
): Promise<PublicUser> {
  // Checked before the user exists, so a bad address never leaves a half-made account.
  checkProfile(profile)
  return withServices(config, async (s) => {
    const user = await s.users.register(username, password)
    await s.audit.record({ type: 'user.added_by_admin', userId: user.id })
    if (Object.keys(profile).length > 0) return s.users.setProfile(user.username, profile)
    return publicUser(user)
  })
}

/** Changes a user's name / email (only those given). Throws UserNotFound / RequestInvalid. */
export function updateUser(
  config: ServerConfig,
  username: string,
  profile: ProfileInput,
): Promise<PublicUser> {
  return withServices(config, (s) => s.users.setProfile(username, profile))
}

export function listUsers(config: ServerConfig): Promise<PublicUser[]> {
  return withServices(config, (s) => s.users.list())
}

/**
 * Disables a user and ends all their refresh families and sessions, queueing a back-channel logout for
 * every client a session of theirs signed in to: a running server's delivery loop sends them (this
 * process only queues, so it exits at once). Throws UserNotFound.
 */
export function disableUser(config: ServerConfig, username: string): Promise<PublicUser> {
  return withServices(config, (s) => {
    const stop = endAnnouncedSessions({
      store: s.store,
      clock: s.clock,
      sessions: s.sessions,
      wake: () => {},
    })
    return s.users.setDisabled(username, true).finally(stop)
  })
}

export function enableUser(config: ServerConfig, username: string): Promise<PublicUser> {
  return withServices(config, (s) => s.users.setDisabled(username, false))
}

export { withServices }
