/**
 * @module Scope rules of `/token`. Refresh tokens: issued to a client registered for the `refresh_token`
 * grant, or when the user granted `offline_access` (OIDC Core §11; consent covers it, since the code only
 * carries scopes the user consented to). User scopes never go into a client_credentials token.
 */
import { ScopeInvalid } from '../../errors.js'
import type { OAuthClientRecord } from '../../store/types.js'

/** Scopes that speak about a user: meaningless when a client acts for itself. */
const USER_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access', 'address', 'phone'])

export const scopeList = (scope: string): string[] => scope.split(' ').filter((s) => s !== '')

export function issuesRefreshToken(client: OAuthClientRecord, grantedScope: string): boolean {
  return client.grantTypes.includes('refresh_token') || scopeList(grantedScope).includes('offline_access')
}

/** `requested` narrowed to a subset of `allowed`; ScopeInvalid for anything beyond it. */
export function narrowScope(requested: string | undefined, allowed: string[]): string {
  if (requested === undefined) return allowed.join(' ')
  const asked = scopeList(requested)
  const beyond = asked.filter((s) => !allowed.includes(s))
  if (beyond.length > 0)
    throw new ScopeInvalid(`scope asks for more than this grant allows: ${beyond.join(' ').slice(0, 200)}`)
  return [...new Set(asked)].join(' ')
}

/** What a client_credentials token may carry: the client's registered scopes, minus user scopes. */
export function clientScopes(client: OAuthClientRecord): string[] {
  return scopeList(client.scope).filter((s) => !USER_SCOPES.has(s))
}
