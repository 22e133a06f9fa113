/**
 * @module A private PostgreSQL cluster for fault tests: made with Debian's `initdb` in a temp folder, on
 * its own port, trust auth, its socket in that folder, started and stopped with `pg_ctl` by the test and
 * never the shared PostgreSQL on 5432. A stop and start keeps what was written (a real restart). As root
 * it runs as the `postgres` user, since `initdb` refuses root.
 */
import { execFile, spawnSync } from 'node:child_process'
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './private-redis.js'

const run = promisify(execFile)
const DEBIAN_POSTGRES = '/usr/lib/postgresql'

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`; append `?schema=…` for a store. */
  url: string
  port: number
  /** Stops the cluster (`pg_ctl stop -m fast`: open sessions are cut) and waits until it is down. */
  stop(): Promise<void>
  /** Starts it again on the same port and data folder, and waits until it accepts connections. */
  start(): Promise<void>
  /** Stops it for good and deletes its folder. */
  destroy(): Promise<void>
}

/** The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` and `pg_ctl`, or undefined. */
function binDir(): string | undefined {
  if (!existsSync(DEBIAN_POSTGRES)) return undefined
  return readdirSync(DEBIAN_POSTGRES)
    .filter((version) => /^\d+$/.test(version))
    .sort((x, y) => Number(y) - Number(x))
    .map((version) => join(DEBIAN_POSTGRES, version, 'bin'))
    .find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')))
}

const runsAsRoot = () => process.getuid?.() === 0

/** The `postgres` user's uid and gid, which the cluster runs as when this process is root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const id = (flag: string) => {
    const out = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' })
    return out.status === 0 ? Number(out.stdout.trim()) : undefined
  }
  const uid = id('-u')
  const gid = id('-g')
  return uid === undefined || gid === undefined ? undefined : { uid, gid }
}

/** Why a private cluster cannot be made here (undefined: it can), with what to install. */
export function privatePostgresMissing(): string | undefined {
  if (!binDir())
    return `PostgreSQL server binaries (initdb, pg_ctl) not found under ${DEBIAN_POSTGRES}/<version>/bin (apt-get install postgresql)`
  if (runsAsRoot() && !postgresUser())
    return 'running as root and there is no postgres user to run initdb as (apt-get install postgresql creates it)'
  return undefined
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const missing = privatePostgresMissing()
  if (missing) throw new Error(`cannot make a private PostgreSQL cluster: ${missing}`)
  const bin = binDir()!
  const owner = runsAsRoot() ? postgresUser() : undefined
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-postgres-'))
  if (owner) chownSync(dir, owner.uid, owner.gid)
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')

  /** Runs one PostgreSQL binary, as `postgres` when root; a failure carries the server log's tail. */
  const binary = async (name: string, args: string[]) => {
    const command = owner
      ? ['runuser', '-u', 'postgres', '--', join(bin, name), ...args]
      : [join(bin, name), ...args]
    try {
      await run(command[0]!, command.slice(1), { cwd: dir })
    } catch (error) {
      const output = (error as { stderr?: string }).stderr?.trim() ?? ''
      const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n') : ''
      throw new Error(`private PostgreSQL: ${name} ${args.at(-1)} failed: ${output}\n${tail}`.trim(), {
        cause: error,
      })
    }
  }

  let running = false
  const start = async () => {
    await binary('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', 'start'])
    running = true
  }
  const stop = async () => {
    if (!running) return
    await binary('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'])
    running = false
  }

  try {
    await binary('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ])
    // A throwaway cluster: durability settings off, TCP only on loopback, the socket in the temp folder.
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    )
    await start()
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    async destroy() {
      try {
        await stop()
      } catch {
        // A fast stop that failed (a stuck session): stop without a checkpoint, the data goes anyway.
        await binary('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
