/**
 * @module The SDK's IndexedDB database: the only thing it keeps beyond a page's life. One record per
 * (issuer, client) — the non-extractable DPoP CryptoKeyPair (the objects themselves, by structured clone,
 * never their material), the refresh token bound to it, and a generation counted up at each rotation — and
 * the pending logins (state, nonce, PKCE verifier, the new key) between `login()` and `handleRedirect()`.
 */
import { ClientUnsupportedBrowser } from './errors.js'

const DB_NAME = 'tessera-client'
const SESSIONS = 'sessions'
const LOGINS = 'logins'

export interface StoredSession {
  /** The DPoP key pair (non-extractable private key); absent with `dpop: false`. */
  keyPair: CryptoKeyPair | undefined
  refreshToken: string
  /** Counts each refresh-token write, so a tab can tell that another one refreshed meanwhile. */
  generation: number
}

export interface PendingLogin {
  state: string
  nonce: string
  codeVerifier: string
  /** The DPoP key the code is bound to (`dpop_jkt`), made at login; absent with `dpop: false`. */
  keyPair: CryptoKeyPair | undefined
  createdAt: number
}

/** A pending login older than this is dropped (the provider's own login page times out sooner). */
const PENDING_LOGIN_TTL_MS = 30 * 60_000

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function open(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined')
    return Promise.reject(new ClientUnsupportedBrowser('IndexedDB is missing: the SDK keeps its key there'))
  const req = indexedDB.open(DB_NAME, 1)
  req.onupgradeneeded = () => {
    req.result.createObjectStore(SESSIONS)
    req.result.createObjectStore(LOGINS)
  }
  return request(req)
}

export class SessionDatabase {
  readonly #key: string
  #db: Promise<IDBDatabase> | undefined

  constructor(issuer: string, clientId: string) {
    this.#key = `${issuer} ${clientId}`
  }

  async #run<T>(
    store: string,
    mode: IDBTransactionMode,
    f: (s: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> {
    this.#db ??= open()
    const db = await this.#db
    const tx = db.transaction(store, mode)
    const result = request(f(tx.objectStore(store)))
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error)
    })
    return result
  }

  async loadSession(): Promise<StoredSession | undefined> {
    return (await this.#run(SESSIONS, 'readonly', (s) => s.get(this.#key))) as StoredSession | undefined
  }

  async saveSession(session: StoredSession): Promise<void> {
    await this.#run(SESSIONS, 'readwrite', (s) => s.put(session, this.#key))
  }

  async deleteSession(): Promise<void> {
    await this.#run(SESSIONS, 'readwrite', (s) => s.delete(this.#key))
  }

  async savePendingLogin(login: PendingLogin): Promise<void> {
    await this.#run(LOGINS, 'readwrite', (s) => s.put({ ...login, scope: this.#key }, login.state))
  }

  /** The pending login of `state`, removed as it is read (a state is good for one answer). */
  async takePendingLogin(state: string): Promise<PendingLogin | undefined> {
    // One read-write transaction: two tabs answering the same redirect cannot both take it.
    const found = (await this.#run(LOGINS, 'readwrite', (s) => {
      const read = s.get(state)
      s.delete(state)
      return read
    })) as (PendingLogin & { scope: string }) | undefined
    if (found === undefined) return undefined
    if (found.scope !== this.#key || Date.now() - found.createdAt > PENDING_LOGIN_TTL_MS) return undefined
    return found
  }

  /** Drops pending logins that were never answered (a tab closed on the provider's page). */
  async dropStaleLogins(): Promise<void> {
    const cutoff = Date.now() - PENDING_LOGIN_TTL_MS
    this.#db ??= open()
    const db = await this.#db
    const tx = db.transaction(LOGINS, 'readwrite')
    const cursorRequest = tx.objectStore(LOGINS).openCursor()
    cursorRequest.onsuccess = () => {
      const cursor = cursorRequest.result
      if (!cursor) return
      if ((cursor.value as PendingLogin).createdAt < cutoff) cursor.delete()
      cursor.continue()
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
  }
}
