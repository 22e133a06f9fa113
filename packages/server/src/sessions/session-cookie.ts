/**
 * @module The session cookie (OWASP Session Management, "Cookies"): HttpOnly, Secure, SameSite (lax by
 * default), Path=/, no Domain (host-only), and the `__Host-` prefix when served over HTTPS, which makes a
 * browser refuse the cookie unless it is Secure, Path=/ and host-only — so a sibling subdomain cannot
 * plant one (cookie tossing, the usual way into session fixation). No Max-Age: a session cookie dies with
 * the browser, and the server enforces the idle and absolute timeouts whatever the browser keeps.
 */
import type {} from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isLoopback, type ServerConfig } from '../config.js'

export interface SessionCookiePolicy {
  name: string
  secure: boolean
  sameSite: 'lax' | 'strict' | 'none'
  /** Why Secure is off, for the start-up warning (undefined when it is on). */
  insecureReason?: string
}

/**
 * Secure is left out only outside production, on plain HTTP to a loopback address (a browser would drop
 * a Secure cookie set over http://127.0.0.1), or with `--insecure-cookies`. Production always sets it.
 */
export function sessionCookiePolicy(config: ServerConfig, issuer: string): SessionCookiePolicy {
  const url = new URL(issuer)
  const https = url.protocol === 'https:'
  const plainLoopback = !https && isLoopback(url.hostname.replace(/^\[|\]$/g, ''))
  let insecureReason: string | undefined
  if (!config.production) {
    if (config.insecureCookies) insecureReason = '--insecure-cookies'
    else if (plainLoopback)
      insecureReason = `development mode on plain HTTP to a loopback address (${url.host})`
  }
  // SameSite=None without Secure is dropped by browsers: none implies Secure (config refuses the mix).
  const secure = insecureReason === undefined || config.sessionSameSite === 'none'
  return {
    name: secure && https ? '__Host-tessera-session' : 'tessera-session',
    secure,
    sameSite: config.sessionSameSite,
    ...(secure ? {} : { insecureReason }),
  }
}

const attributes = (policy: SessionCookiePolicy) =>
  ({ httpOnly: true, secure: policy.secure, sameSite: policy.sameSite, path: '/' }) as const

export function setSessionCookie(reply: FastifyReply, policy: SessionCookiePolicy, id: string): void {
  reply.setCookie(policy.name, id, attributes(policy))
}

export function clearSessionCookie(reply: FastifyReply, policy: SessionCookiePolicy): void {
  reply.clearCookie(policy.name, attributes(policy))
}

export function readSessionCookie(request: FastifyRequest, policy: SessionCookiePolicy): string | undefined {
  const value = request.cookies[policy.name]
  return value === undefined || value === '' ? undefined : value
}
