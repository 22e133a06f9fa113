/**
 * @module The config for people: printed at start with secrets masked, and the settings table of
 * `tessera serve --help`.
 */
import { maskDatabaseUrl } from '../store/postgres/connection-url.js'
import { formatSpan } from '../util/duration.js'
import { defaultConfig } from './defaults.js'
import { envName, SETTINGS } from './settings.js'
import type { ClientCredential, ServerConfig } from './types.js'

/** The config for printing: secrets masked, spans readable. */
export function describeConfig(c: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const setting of SETTINGS) {
    const value = c[setting.key]
    if (setting.secret) {
      if (setting.kind === 'clients') {
        out[setting.key] = (value as ClientCredential[]).map((client) => `${client.id}:********`)
      } else {
        out[setting.key] = value === undefined ? '(not set)' : '********'
      }
    } else if (setting.kind === 'span') {
      out[setting.key] = formatSpan(value as number)
    } else if ((setting.key === 'database' || setting.key === 'redis') && typeof value === 'string') {
      // A URL may carry a password.
      out[setting.key] = maskDatabaseUrl(value)
    } else {
      out[setting.key] = value
    }
  }
  return out
}

/** The flag names, for `tessera serve --help`. */
export function settingsHelp(): { flag: string; env: string; default: string }[] {
  const defaults = defaultConfig(false) as unknown as Record<string, unknown>
  return SETTINGS.map((s) => ({
    flag: s.envOnly ? '(environment only)' : `--${s.flag}`,
    env: envName(s),
    default:
      s.secret || defaults[s.key] === undefined
        ? ''
        : s.kind === 'span'
          ? formatSpan(defaults[s.key] as number)
          : String(defaults[s.key]),
  }))
}
