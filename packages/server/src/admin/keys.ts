/**
 * @module Signing-key administration for `tessera keys rotate|list|export-jwks`. A running server picks
 * up a rotation made here within its reload interval (30 s), well inside the publish lead time.
 */
import type { JWK } from '@tessera/jose'
import type { ServerConfig } from '../config.js'
import type { KeyInfo } from '../keys/key-ring.js'
import { withServices } from './users.js'

/** Makes a new key: published now, signing after --jwks-max-age (or at once with `immediate`). */
export function rotateKeys(config: ServerConfig, options: { immediate?: boolean } = {}): Promise<KeyInfo> {
  return withServices(config, async (s) => {
    const info = await s.keys.rotate(options)
    await s.audit.record({ type: 'keys.rotated', detail: { kid: info.kid, immediate: !!options.immediate } })
    return info
  })
}

export function listKeys(config: ServerConfig): Promise<KeyInfo[]> {
  return withServices(config, async (s) => s.keys.list())
}

/** The public JWKS as served at /.well-known/jwks.json. */
export function exportJwks(config: ServerConfig): Promise<{ keys: JWK[] }> {
  return withServices(config, async (s) => s.keys.jwks())
}
