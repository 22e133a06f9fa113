/**
 * @module The development `demo` user: its password is kept across restarts the way the development
 * secret is (a file beside the SQLite database, mode 0600), and seeding it is idempotent, so instances
 * starting together, or a restart, leave one `demo` user that logs in with the password each one prints.
 *
 * Where there is no database file (PostgreSQL), the instances share only TESSERA_SECRET, so the password is
 * derived from it (HKDF-SHA256 with its own label: knowing the password tells nothing about the secret). An
 * in-memory database gets a fresh password, as it gets a fresh everything.
 */
import { hkdfSync, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../clock.js'
import { UserExists } from '../errors.js'
import type { Store } from '../store/types.js'
import { normalizePassword } from '../users/password-policy.js'
import type { UserService } from '../users/user-service.js'

export const DEMO_USERNAME = 'demo'
export const DEMO_PASSWORD_FILE = 'tessera-demo-password'

export interface DemoPassword {
  password: string
  /** The file it is kept in, when there is one. */
  keptIn?: string
}

/** 120 bits as base64url, starting with a letter or digit so it is never taken for a flag. */
function fromBytes(bytes: Buffer): string {
  const text = bytes.toString('base64url')
  return /^[A-Za-z0-9]/.test(text) ? text : `d${text.slice(1)}`
}

function readKept(file: string): string | undefined {
  try {
    const kept = readFileSync(file, 'utf8').trim()
    return /^[A-Za-z0-9][A-Za-z0-9_-]{19}$/.test(kept) ? kept : undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * The demo password: kept in `<dir>/tessera-demo-password` (made on first use), else derived from the
 * configured secret, else random for this process.
 */
export function resolveDemoPassword(dir: string | undefined, secret: string | undefined): DemoPassword {
  if (dir !== undefined) {
    const file = join(dir, DEMO_PASSWORD_FILE)
    const kept = readKept(file)
    if (kept) return { password: kept, keptIn: file }
    const password = fromBytes(randomBytes(15))
    mkdirSync(dir, { recursive: true })
    // Not 'wx': a file holding something unusable (empty, edited by hand) is replaced.
    writeFileSync(file, `${password}\n`, { mode: 0o600 })
    return { password, keptIn: file }
  }
  if (secret !== undefined) {
    const derived = hkdfSync(
      'sha256',
      Buffer.from(secret, 'utf8'),
      'tessera',
      'tessera demo-user password v1',
      15,
    )
    return { password: fromBytes(Buffer.from(derived)) }
  }
  return { password: fromBytes(randomBytes(15)) }
}

/**
 * Makes `demo` with `password`, or brings an existing one back to it (enabled, that password). Safe to run
 * by several instances at once: a `demo` created by another between our read and our insert is taken as is.
 */
export async function ensureDemoUser(
  deps: { store: Store; users: UserService; clock: Clock },
  password: string,
): Promise<void> {
  let existing = await deps.store.users.findByUsername(DEMO_USERNAME)
  if (!existing) {
    try {
      await deps.users.register(DEMO_USERNAME, password)
      return
    } catch (error) {
      if (!(error instanceof UserExists)) throw error
    }
    existing = await deps.store.users.findByUsername(DEMO_USERNAME)
    if (!existing) throw new UserExists(`the username "${DEMO_USERNAME}" is taken but cannot be read back`)
  }
  const normalized = normalizePassword(password)
  if (!(await deps.users.hasher.verify(existing.passwordHash, normalized))) {
    await deps.store.users.setPasswordHash(
      existing.id,
      await deps.users.hasher.hash(normalized),
      deps.clock(),
    )
  }
  if (existing.disabled) await deps.store.users.setDisabled(existing.id, false, deps.clock())
}
