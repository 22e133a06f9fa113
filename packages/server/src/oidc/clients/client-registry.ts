/**
 * @module The client registry: registers, lists, removes clients and rotates their secrets, and answers
 * the per-request questions (which client is this, is this its secret, is this one of its redirect URIs).
 *
 * Clients are read from the store on every request (one primary-key read), never cached, so a client
 * added, changed or removed through any instance or `tessera clients` is in force at once on all of them.
 */
import { randomBytes } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import type { Clock } from '../../clock.js'
import { ClientExists, ClientInvalid, ClientNotFound } from '../../errors.js'
import type { OAuthClientRecord, Store } from '../../store/types.js'
import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret.js'
import { type DemoClientCredentials, demoClientRegistrations } from './demo-clients.js'
import { matchExactly, matchRedirectUri } from './redirect-uri.js'
import { type ClientRegistration, checkRegistration, type RegistrationPolicy } from './registration.js'

export interface ClientRegistryDeps {
  store: Store
  clock: Clock
  /** HMAC key for client secrets (deriveSecrets(…).clientSecretKey). */
  secretKey: Buffer
  policy: RegistrationPolicy
  /** Development only: the demo clients' credentials (derived from the development secret). */
  demoCredentials?: DemoClientCredentials
}

/** A registered client and, for one that authenticates with a secret, that secret (shown once). */
export interface RegisteredClient {
  client: OAuthClientRecord
  secret: string | undefined
}

const usesSecret = (c: Pick<OAuthClientRecord, 'tokenEndpointAuthMethod'>) =>
  c.tokenEndpointAuthMethod === 'client_secret_basic' || c.tokenEndpointAuthMethod === 'client_secret_post'

export class ClientRegistry {
  readonly #d: ClientRegistryDeps

  constructor(deps: ClientRegistryDeps) {
    this.#d = deps
  }

  find(id: string): Promise<OAuthClientRecord | undefined> {
    return this.#d.store.clients.find(id)
  }

  list(): Promise<OAuthClientRecord[]> {
    return this.#d.store.clients.list()
  }

  /** Constant-time check of a presented secret; false for a client without one. */
  authenticateSecret(client: OAuthClientRecord, secret: string): boolean {
    return verifyClientSecret(this.#d.secretKey, secret, client.secretHash)
  }

  matchRedirectUri(client: OAuthClientRecord, uri: string): boolean {
    return matchRedirectUri(client.redirectUris, uri)
  }

  matchPostLogoutRedirectUri(client: OAuthClientRecord, uri: string): boolean {
    return matchExactly(client.postLogoutRedirectUris, uri)
  }

  /**
   * Checks and stores a new client. A client that authenticates with a secret gets a fresh random one
   * (or `options.secret`, for the development demo clients), returned once and stored only as its hash.
   */
  async register(input: ClientRegistration, options: { secret?: string } = {}): Promise<RegisteredClient> {
    // Hex: 128 random bits that never start with '-' (which a command line would read as a flag).
    const id = input.id ?? randomBytes(16).toString('hex')
    const checked = checkRegistration(input, this.#d.policy, id, this.#d.clock())
    const secret = usesSecret(checked) ? (options.secret ?? generateClientSecret()) : undefined
    if (secret !== undefined && secret.length < 32)
      throw new ClientInvalid('client_secret: must be at least 32 characters (high entropy)')
    const client: OAuthClientRecord = {
      ...checked,
      secretHash: secret === undefined ? null : hashClientSecret(this.#d.secretKey, secret),
    }
    await this.#d.store.clients.create(client)
    return { client, secret }
  }

  /** Registers the client unless one with its id exists (start-up seeding; safe on many instances at once). */
  async ensure(
    input: ClientRegistration & { id: string },
    options: { secret?: string } = {},
  ): Promise<boolean> {
    if (await this.find(input.id)) return false
    try {
      await this.register(input, options)
      return true
    } catch (error) {
      if (error instanceof ClientExists) return false
      throw error
    }
  }

  /**
   * Development: registers the demo clients (the flow page, Notes and Photos) when absent, and brings a
   * stored one back to its development definition when an older release registered it otherwise (so a
   * development database kept across upgrades follows the demo apps). Idempotent, and safe for instances
   * starting together. Returns the ids it registered or updated now.
   */
  async ensureDemoClients(): Promise<string[]> {
    const credentials = this.#d.demoCredentials
    if (!credentials) return []
    const changed: string[] = []
    for (const registration of demoClientRegistrations()) {
      const secret = registration.id === 'notes' ? credentials.notes.clientSecret : undefined
      if (await this.ensure(registration, secret === undefined ? {} : { secret }))
        changed.push(registration.id)
      else if (await this.#alignDemoClient(registration, secret)) changed.push(registration.id)
    }
    return changed
  }

  /** Rewrites a stored demo client whose settings (or secret) differ from its definition. */
  async #alignDemoClient(registration: ClientRegistration & { id: string }, secret: string | undefined) {
    const stored = await this.find(registration.id)
    if (!stored) return false
    const {
      id: _id,
      createdAt: _created,
      updatedAt: _updated,
      ...wanted
    } = checkRegistration(registration, this.#d.policy, registration.id, this.#d.clock())
    const secretHash = secret === undefined ? null : hashClientSecret(this.#d.secretKey, secret)
    const current = Object.fromEntries(
      Object.keys(wanted).map((key) => [key, stored[key as keyof typeof stored]]),
    )
    if (isDeepStrictEqual(current, wanted) && stored.secretHash === secretHash) return false
    return this.#d.store.clients.update(registration.id, { ...wanted, secretHash }, this.#d.clock())
  }

  async remove(id: string): Promise<void> {
    if (!(await this.#d.store.clients.remove(id))) throw new ClientNotFound(`no client has the id "${id}"`)
  }

  /** A new secret for a client that uses one; the old one stops working at once. */
  async rotateSecret(id: string): Promise<RegisteredClient> {
    const client = await this.find(id)
    if (!client) throw new ClientNotFound(`no client has the id "${id}"`)
    if (!usesSecret(client))
      throw new ClientInvalid(
        `client_secret: "${id}" authenticates with ${client.tokenEndpointAuthMethod}, not a secret`,
      )
    const secret = generateClientSecret()
    const secretHash = hashClientSecret(this.#d.secretKey, secret)
    const now = this.#d.clock()
    if (!(await this.#d.store.clients.update(id, { secretHash }, now)))
      throw new ClientNotFound(`no client has the id "${id}"`)
    return { client: { ...client, secretHash, updatedAt: now }, secret }
  }
}
