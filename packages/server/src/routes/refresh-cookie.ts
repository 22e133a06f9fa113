/**
 * @module The refresh-token cookie for browser clients: HttpOnly (no script can read it), Secure,
 * SameSite=Strict, scoped to /auth so it travels only to refresh and logout, with the `__Secure-` prefix
 * whenever it is Secure. Lifetime = the family's absolute lifetime.
 */
import type {} from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'

export function refreshCookieName(secure: boolean): string {
  return secure ? '__Secure-tessera-refresh' : 'tessera-refresh'
}

export const REFRESH_COOKIE_PATH = '/auth'

export function setRefreshCookie(
  reply: FastifyReply,
  secure: boolean,
  token: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(refreshCookieName(secure), token, {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    maxAge: maxAgeSeconds,
  })
}

export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(refreshCookieName(secure), {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
  })
}

export function readRefreshCookie(request: FastifyRequest, secure: boolean): string | undefined {
  const value = request.cookies[refreshCookieName(secure)]
  return value === undefined || value === '' ? undefined : value
}
