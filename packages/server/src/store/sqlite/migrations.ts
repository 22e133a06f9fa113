/**
 * @module SQLite schema migrations, applied in order at start. Each entry runs once, inside the same
 * IMMEDIATE transaction as its `schema_migrations` row, so two processes starting together on one file
 * migrate once and a crash mid-migration leaves the previous schema intact. Never edit a shipped entry:
 * add a new one.
 */
export const SQLITE_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE refresh_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        cookie_bound INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        absolute_expires_at INTEGER NOT NULL,
        revoked_at INTEGER,
        revoked_reason TEXT
      );
      CREATE INDEX refresh_families_user ON refresh_families(user_id);
      CREATE TABLE refresh_tokens (
        hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_families(id) ON DELETE CASCADE,
        generation INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'rotated', 'revoked')),
        created_at INTEGER NOT NULL,
        idle_expires_at INTEGER NOT NULL,
        rotated_at INTEGER,
        successor_hash TEXT,
        -- A second guard under the compare-and-set: one token per generation, so a family can never hold
        -- two successors of the same token.
        UNIQUE (family_id, generation)
      );
      CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        idle_expires_at INTEGER NOT NULL,
        absolute_expires_at INTEGER NOT NULL,
        csrf_token TEXT
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        encrypted_private_jwk TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        activates_at INTEGER NOT NULL,
        retires_at INTEGER,
        remove_at INTEGER
      );
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        user_id TEXT,
        family_id TEXT,
        ip TEXT,
        detail TEXT
      );
      CREATE INDEX audit_events_user ON audit_events(user_id, id);
      CREATE TABLE throttle (
        key TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL
      );
    `,
  },
]
