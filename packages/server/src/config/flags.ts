/**
 * @module Reads settings from `TESSERA_*` variables and `tessera serve` flags, then defaults ← values ←
 * validation (`loadConfig`).
 */
import { ConfigInvalid } from '../errors.js'
import { parseSpan } from '../util/duration.js'
import { defaultConfig } from './defaults.js'
import { envName, SETTINGS, type Setting } from './settings.js'
import type { ClientCredential, ServerConfig } from './types.js'
import { validateConfig } from './validate.js'

function parseBool(raw: string, setting: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new ConfigInvalid(setting, `"${raw}" is not a boolean (true/false)`)
}

function parseClients(raw: string, setting: string): ClientCredential[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((pair) => {
      const colon = pair.indexOf(':')
      if (colon <= 0 || colon === pair.length - 1) throw new ConfigInvalid(setting, 'must be id:secret')
      return { id: pair.slice(0, colon), secret: pair.slice(colon + 1) }
    })
}

function parseValue(setting: Setting, raw: string, name: string): unknown {
  switch (setting.kind) {
    case 'string':
      return raw
    case 'optional':
      return raw === '' ? undefined : raw
    case 'int': {
      if (!/^\d+$/.test(raw)) throw new ConfigInvalid(name, `"${raw}" is not a whole number`)
      return Number(raw)
    }
    case 'span':
      return parseSpan(raw, name)
    case 'bool':
      return parseBool(raw, name)
    case 'list':
      return raw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    case 'clients':
      return parseClients(raw, name)
  }
}

/**
 * Reads `tessera serve` flags and `TESSERA_*` variables into a validated config.
 * Flags: `--name value`, `--name=value`, `--flag` / `--no-flag` for booleans; `--introspection-client`
 * may repeat. Unknown flags are errors (a typo must not silently keep a default).
 */
export function parseServeArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const fromEnv: Partial<Record<keyof ServerConfig, unknown>> = {}
  for (const setting of SETTINGS) {
    const raw = env[envName(setting)]
    if (raw !== undefined) fromEnv[setting.key] = parseValue(setting, raw, envName(setting))
  }
  const fromFlags: Partial<Record<keyof ServerConfig, unknown>> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) throw new ConfigInvalid(arg, 'unexpected argument: settings are --name value')
    let name = arg.slice(2)
    let value: string | undefined
    const eq = name.indexOf('=')
    if (eq !== -1) {
      value = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    const setting = SETTINGS.find((s) => s.flag === name)
    if (!setting && name.startsWith('no-')) {
      const positive = SETTINGS.find((s) => s.flag === name.slice(3) && s.kind === 'bool')
      if (positive && value === undefined) {
        fromFlags[positive.key] = false
        continue
      }
    }
    if (!setting || setting.envOnly) {
      const hint = setting?.envOnly ? ` (set it in the environment as ${envName(setting)})` : ''
      throw new ConfigInvalid(`--${name}`, `unknown setting${hint}`)
    }
    if (value === undefined) {
      const next = argv[i + 1]
      if (
        setting.kind === 'bool' &&
        (next === undefined || next.startsWith('--') || !/^(1|0|true|false|yes|no|on|off)$/i.test(next))
      ) {
        value = 'true'
      } else {
        if (next === undefined) throw new ConfigInvalid(`--${name}`, 'needs a value')
        value = next
        i++
      }
    }
    const parsed = parseValue(setting, value, `--${name}`)
    if (setting.kind === 'clients' && Array.isArray(fromFlags[setting.key])) {
      fromFlags[setting.key] = [
        ...(fromFlags[setting.key] as ClientCredential[]),
        ...(parsed as ClientCredential[]),
      ]
    } else {
      fromFlags[setting.key] = parsed
    }
  }
  return loadConfig({ ...fromEnv, ...fromFlags, ...overrides } as Partial<ServerConfig>)
}

/** Defaults ← the given values, then validation. Programs and tests call this directly. */
export function loadConfig(values: Partial<ServerConfig> = {}): ServerConfig {
  const production = values.production ?? false
  const config: ServerConfig = { ...defaultConfig(production) }
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined || key === 'issuer' || key === 'secret' || key === 'webRoot' || key === 'redis') {
      ;(config as unknown as Record<string, unknown>)[key] = value
    }
  }
  validateConfig(config)
  return Object.freeze(config) as ServerConfig
}
