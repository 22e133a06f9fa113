/**
 * @module PostgreSQL schema migrations, the same tables as SQLite's. They run at start under a
 * transaction-scoped advisory lock (see postgres-store.ts), so many instances starting together migrate
 * once and the others wait, then find nothing to do. Never edit a shipped entry: add a new one.
 */
export const POSTGRES_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        disabled BOOLEAN NOT NULL DEFAULT FALSE,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE refresh_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        cookie_bound BOOLEAN NOT NULL,
        created_at BIGINT NOT NULL,
        absolute_expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_reason TEXT
      );
      CREATE INDEX refresh_families_user ON refresh_families(user_id);
      CREATE TABLE refresh_tokens (
        hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_families(id) ON DELETE CASCADE,
        generation INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'rotated', 'revoked')),
        created_at BIGINT NOT NULL,
        idle_expires_at BIGINT NOT NULL,
        rotated_at BIGINT,
        successor_hash TEXT,
        -- A second guard under the row lock: one token per generation, so a family can never hold two
        -- successors of the same token, whatever instance wrote them.
        UNIQUE (family_id, generation)
      );
      -- At most one live token per family, enforced by the database itself (the invariant the
      -- multi-instance test checks after killing an instance mid-rotation).
      CREATE UNIQUE INDEX refresh_tokens_one_active ON refresh_tokens(family_id) WHERE state = 'active';
      CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        idle_expires_at BIGINT NOT NULL,
        absolute_expires_at BIGINT NOT NULL,
        csrf_token TEXT
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        encrypted_private_jwk TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        activates_at BIGINT NOT NULL,
        retires_at BIGINT,
        remove_at BIGINT
      );
      CREATE TABLE audit_events (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
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
        first_at BIGINT NOT NULL,
        last_at BIGINT NOT NULL
      );
    `,
  },
]
