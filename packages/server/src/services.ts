/**
 * @module Everything behind the HTTP layer, wired from one config: the store, the key ring, users and
 * tokens. The app and the CLI (`tessera users …`, `tessera keys …`) both start here. The first signing key
 * is made under the start-up lock, so instances opening an empty database together make exactly one.
 */
import { dirname, resolve } from 'node:path'
import { AuditLog } from './audit/audit-log.js'
import { type Clock, systemClock } from './clock.js'
import type { ServerConfig } from './config.js'
import { type IssuerDPoP, issuerDPoP } from './dpop/request-proof.js'
import { KeyRing } from './keys/key-ring.js'
import { deriveSecrets, resolveSecret } from './keys/secret.js'
import { deriveInteractionKey } from './oidc/authorize/interaction-key.js'
import { ClientRegistry } from './oidc/clients/client-registry.js'
import { demoClientCredentials } from './oidc/clients/demo-clients.js'
import { openRevocationChannel } from './revocation/open-channel.js'
import { publishingStore } from './revocation/publishing-store.js'
import { RevocationFeed } from './revocation/revocation-feed.js'
import { SessionService } from './sessions/session-service.js'
import { withStartupLock } from './startup/startup-lock.js'
import { openStore, sqlitePath } from './store/open-store.js'
import type { Store } from './store/types.js'
import { TokenService } from './tokens/token-service.js'
import type { PasswordHasher } from './users/password-hash.js'
import { UserService } from './users/user-service.js'

export interface ServiceDeps {
  /** A store to use instead of opening `config.database` (tests; the caller closes it). */
  store?: Store
  clock?: Clock
  hasher?: PasswordHasher
}

export interface Services {
  config: ServerConfig
  store: Store
  clock: Clock
  keys: KeyRing
  users: UserService
  tokens: TokenService
  /** The audit log, for events no other service records itself. */
  audit: AuditLog
  /** The in-memory set of ended sessions and disabled users, kept current across instances. */
  revocations: RevocationFeed
  /** Cookie sessions (session mode), over the same store and users. */
  sessions: SessionService
  /** Registered OAuth / OpenID Connect clients, read from the store on every request. */
  clients: ClientRegistry
  /** Seals pending authorization requests into the sign-in pages (derived from TESSERA_SECRET). */
  interactionKey: Buffer
  /** DPoP proofs (RFC 9449) at this issuer: the check every route runs on a `DPoP` header, and nonces. */
  dpop: IssuerDPoP
  /** The issuer now: `--issuer`, else the address the server listens on. */
  issuer(): string
  /** Called once listening, so the issuer follows the real address. */
  setListenUrl(url: string): void
  /**
   * Runs start-up writes (first key, demo user) while no other instance on this database runs its own;
   * gives up with StoreUnavailable after a minute of waiting.
   */
  startupLock<T>(work: () => Promise<T>): Promise<T>
  /** The directory of the SQLite file, where development files (secret, demo password) are kept. */
  dataDir: string | undefined
  /** Where a development secret was generated or read from (for the start-up warning). */
  secretSource: { generatedAt?: string; fromFile?: string; ephemeral: boolean; configured: boolean }
  close(): Promise<void>
}

/**
 * Another instance's start-up (migrations, a key, an argon2id hash) takes well under a second; a minute
 * means it is stuck, and waiting longer would only hide that.
 */
const STARTUP_WAIT_MS = 60_000

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url
}

export async function createServices(config: ServerConfig, deps: ServiceDeps = {}): Promise<Services> {
  const clock = deps.clock ?? systemClock
  const ownStore = deps.store === undefined
  const openedStore =
    deps.store ??
    (await openStore(config.database, {
      busyTimeoutMs: config.dbBusyTimeout,
      redis: config.redis,
      revokedTtlMs: (config.accessTtl + config.clockSkew) * 1000,
    }))
  const revocations = new RevocationFeed({
    // A store without the repository (a test double) has nothing revoked to load.
    repository: openedStore.revocations ?? {
      since: async () => ({ families: [], disabledUsers: [] }),
      ping: async () => {},
    },
    channel: openRevocationChannel(config.database, config.redis),
    clock,
    windowMs: (config.accessTtl + config.clockSkew) * 1000,
  })
  const store = publishingStore(openedStore, (event) => revocations.publish(event))
  try {
    await revocations.start()
    const file = sqlitePath(config.database)
    const dataDir = file ? dirname(resolve(file)) : undefined
    const startupLock = <T>(work: () => Promise<T>): Promise<T> =>
      withStartupLock(store, { sqliteFile: file ? resolve(file) : undefined, waitMs: STARTUP_WAIT_MS }, work)
    // Under the lock too: instances starting together on a new SQLite file must write one development
    // secret, and all read that one.
    const { resolved, secrets, keys } = await startupLock(async () => {
      const resolved = resolveSecret(config.secret, config.production, dataDir)
      const secrets = deriveSecrets(resolved.secret)
      const keys = new KeyRing({
        store,
        clock,
        keyEncryptionKey: secrets.keyEncryptionKey,
        alg: config.signingAlg,
        idTokenAlgs: config.idTokenAlgs,
        jwksMaxAge: config.jwksMaxAge,
        accessTtl: config.accessTtl,
        clockSkew: config.clockSkew,
        rotationInterval: config.keyRotationInterval,
      })
      await keys.init()
      return { resolved, secrets, keys }
    })
    // Another instance rotated: reload now rather than at the next 30 s tick. Reloads run one after
    // another, so an older read never lands after a newer one; a failed reload is retried by that tick.
    let reloads = Promise.resolve()
    const unwatchKeys = store.watchSigningKeys?.(() => {
      reloads = reloads.then(() => keys.reload()).catch(() => {})
    })
    let listenUrl: string | undefined
    const issuer = () => trimSlash(config.issuer ?? listenUrl ?? `http://${config.host}:${config.port}`)
    const users = new UserService({
      store,
      clock,
      policy: {
        minLength: config.passwordMinLength,
        accountFreeFailures: config.accountFreeFailures,
        accountMaxBackoff: config.accountMaxBackoff,
        ipMaxFailures: config.ipMaxFailures,
        ipWindow: config.ipWindow,
        registrationsPerIp: config.registrationsPerIp,
      },
      ...(deps.hasher ? { hasher: deps.hasher } : {}),
    })
    const tokens = new TokenService({
      store,
      clock,
      keys,
      refreshTokenKey: secrets.refreshTokenKey,
      issuer,
      revocations,
      policy: {
        audience: config.audience,
        resources: config.resources,
        accessTtl: config.accessTtl,
        refreshTtl: config.refreshTtl,
        refreshIdleTtl: config.refreshIdleTtl,
        refreshGrace: config.refreshGrace,
        clockSkew: config.clockSkew,
        scope: config.scope,
        clients: config.clients,
      },
    })
    const audit = new AuditLog({ audit: store.audit, clock })
    const sessions = new SessionService({
      store,
      clock,
      policy: { idleTtl: config.sessionIdleTtl, absoluteTtl: config.sessionTtl },
    })
    return {
      config,
      store,
      clock,
      keys,
      users,
      tokens,
      audit,
      revocations,
      sessions,
      clients: new ClientRegistry({
        store,
        clock,
        secretKey: secrets.clientSecretKey,
        policy: { development: !config.production, idTokenAlgs: config.idTokenAlgs },
        ...(config.production ? {} : { demoCredentials: demoClientCredentials(resolved.secret) }),
      }),
      interactionKey: deriveInteractionKey(resolved.secret),
      dpop: issuerDPoP({
        issuer,
        clock,
        replay: store.replay,
        nonceKey: secrets.dpopNonceKey,
        nonce: config.dpopNonce,
        maxAge: config.dpopProofMaxAge,
        clockSkew: config.clockSkew,
      }),
      issuer,
      startupLock,
      dataDir,
      setListenUrl(url) {
        listenUrl = url
      },
      secretSource: {
        ...(resolved.generatedAt ? { generatedAt: resolved.generatedAt } : {}),
        ...(resolved.fromFile ? { fromFile: resolved.fromFile } : {}),
        ephemeral: config.secret === undefined && !resolved.generatedAt && !resolved.fromFile,
        configured: config.secret !== undefined,
      },
      async close() {
        keys.stopSchedule()
        unwatchKeys?.()
        await revocations.close()
        if (ownStore) await store.close()
      },
    }
  } catch (error) {
    await revocations.close()
    if (ownStore) await store.close()
    throw error
  }
}
