/**
 * @module The refresh-token statements, built once per dialect: the joined reads (token + family, and
 * for rotation token + family + successor + user, locking the family on PostgreSQL), the
 * compare-and-set with the successor insert (one statement where the dialect has writable CTEs), and
 * revocation.
 */
import type { Kysely, Selectable } from 'kysely'
import type { NewRefreshToken, RefreshFamily } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import type { Database, RefreshFamiliesTable, RefreshTokensTable, UsersTable } from '../schema.js'

const TOKEN = [
  'hash',
  'family_id',
  'generation',
  'state',
  'created_at',
  'idle_expires_at',
  'rotated_at',
  'successor_hash',
] as const
const FAMILY = [
  'id',
  'user_id',
  'client_id',
  'scope',
  'cookie_bound',
  'created_at',
  'absolute_expires_at',
  'revoked_at',
  'revoked_reason',
  'sid',
  'auth_time',
  'dpop_jkt',
] as const
const USER = [
  'id',
  'username',
  'password_hash',
  'disabled',
  'name',
  'email',
  'email_verified',
  'created_at',
  'updated_at',
] as const

/** `alias.column as prefix_column` for each column: joined rows keep every table's columns apart. */
const columns = (alias: string, prefix: string, names: readonly string[]) =>
  names.map((c) => `${alias}.${c} as ${prefix}${c}`) as never[]

/** Reads one table's columns out of a joined row, or undefined when its (outer-joined) key is null. */
function picker<T>(
  prefix: string,
  names: readonly string[],
): (row: Record<string, unknown>) => T | undefined {
  const keys = names.map((name) => [name, `${prefix}${name}`] as const)
  const key = `${prefix}${names[0]}`
  return (row) => {
    if (row[key] === null || row[key] === undefined) return undefined
    const out: Record<string, unknown> = {}
    for (const [name, aliased] of keys) out[name] = row[aliased]
    return out as T
  }
}

export const pickToken = picker<Selectable<RefreshTokensTable>>('t_', TOKEN)
export const pickFamily = picker<Selectable<RefreshFamiliesTable>>('f_', FAMILY)
export const pickSuccessor = picker<Selectable<RefreshTokensTable>>('s_', TOKEN)
export const pickUser = picker<Selectable<UsersTable>>('u_', USER)

/** A new family, its flag as 0/1 (SQLite binds no booleans; PostgreSQL reads 0/1 as boolean input). */
export type FamilyInsert = Omit<RefreshFamily, 'revokedAt' | 'revokedReason' | 'cookieBound'> & {
  cookieBound: number
}

export interface SuccessorParams extends NewRefreshToken {
  presented: string
  now: number
}

export function refreshQueries(dialect: SqlDialect) {
  const db: Kysely<Database> = dialect.db
  const joined = () =>
    db
      .selectFrom('refresh_tokens as t')
      .innerJoin('refresh_families as f', 'f.id', 't.family_id')
      .select(columns('t', 't_', TOKEN))
      .select(columns('f', 'f_', FAMILY))

  const insertToken = prepare((p: NewRefreshToken & { familyId: string }) =>
    db.insertInto('refresh_tokens').values({
      hash: p.hash,
      family_id: p.familyId,
      generation: p.generation,
      state: 'active',
      created_at: p.createdAt,
      idle_expires_at: p.idleExpiresAt,
    }),
  )
  // The compare-and-set: only a row still 'active' can be rotated, whoever else is trying.
  const cas = (p: SuccessorParams) =>
    db
      .updateTable('refresh_tokens')
      .set({ state: 'rotated', rotated_at: p.now, successor_hash: p.hash })
      .where('hash', '=', p.presented)
      .where('state', '=', 'active')

  return {
    insertToken,
    findToken: prepare((p: { hash: string }) => joined().where('t.hash', '=', p.hash)),
    /** Token, family, successor and user in one read; on PostgreSQL it queues on the family row. */
    rotationRead: prepare((p: { hash: string }) =>
      joined()
        .leftJoin('refresh_tokens as s', 's.hash', 't.successor_hash')
        .leftJoin('users as u', 'u.id', 'f.user_id')
        .select(columns('s', 's_', TOKEN))
        .select(columns('u', 'u_', USER))
        .where('t.hash', '=', p.hash)
        .$if(dialect.rowLocks, (q) => q.forUpdate('f')),
    ),
    cas: prepare((p: SuccessorParams) => cas(p)),
    /** PostgreSQL: the compare-and-set and the successor insert as one statement. */
    casAndInsert: dialect.writableCte
      ? prepare((p: SuccessorParams) =>
          db
            .with('won', () => cas(p).returning('family_id'))
            .insertInto('refresh_tokens')
            .columns(['hash', 'family_id', 'generation', 'state', 'created_at', 'idle_expires_at'])
            .expression((eb) =>
              eb
                .selectFrom('won')
                .select([
                  eb.cast<string>(eb.val(p.hash), 'text').as('hash'),
                  'won.family_id',
                  eb.cast<number>(eb.val(p.generation), 'integer').as('generation'),
                  eb.cast<'active'>(eb.val('active'), 'text').as('state'),
                  eb.cast<number>(eb.val(p.createdAt), 'bigint').as('created_at'),
                  eb.cast<number>(eb.val(p.idleExpiresAt), 'bigint').as('idle_expires_at'),
                ]),
            ),
        )
      : undefined,
    familyById: prepare((p: { id: string }) =>
      db.selectFrom('refresh_families').selectAll().where('id', '=', p.id),
    ),
    lockFamily: prepare((p: { id: string }) =>
      db.selectFrom('refresh_families').select('id').where('id', '=', p.id).forUpdate(),
    ),
    lockUserFamilies: prepare((p: { userId: string }) =>
      db
        .selectFrom('refresh_families')
        .select('id')
        .where('user_id', '=', p.userId)
        .where('revoked_at', 'is', null)
        // Locked in id order, as every other path locks one family: no deadlock between them.
        .orderBy('id')
        .forUpdate(),
    ),
    revokeFamily: prepare((p: { id: string; reason: string; now: number }) =>
      db
        .updateTable('refresh_families')
        .set({ revoked_at: p.now, revoked_reason: p.reason })
        .where('id', '=', p.id)
        .where('revoked_at', 'is', null),
    ),
    revokeTokens: prepare((p: { id: string }) =>
      db
        .updateTable('refresh_tokens')
        .set({ state: 'revoked' })
        .where('family_id', '=', p.id)
        .where('state', '=', 'active'),
    ),
    revokeUserFamilies: prepare((p: { userId: string; reason: string; now: number }) =>
      db
        .updateTable('refresh_families')
        .set({ revoked_at: p.now, revoked_reason: p.reason })
        .where('user_id', '=', p.userId)
        .where('revoked_at', 'is', null),
    ),
    revokeUserTokens: prepare((p: { userId: string }) =>
      db
        .updateTable('refresh_tokens')
        .set({ state: 'revoked' })
        .where('state', '=', 'active')
        .where('family_id', 'in', (eb) =>
          eb.selectFrom('refresh_families').select('id').where('user_id', '=', p.userId),
        ),
    ),
    insertFamily: prepare((p: FamilyInsert) =>
      db.insertInto('refresh_families').values({
        id: p.id,
        user_id: p.userId,
        client_id: p.clientId,
        scope: p.scope,
        cookie_bound: p.cookieBound,
        created_at: p.createdAt,
        absolute_expires_at: p.absoluteExpiresAt,
        sid: p.sid,
        auth_time: p.authTime,
        dpop_jkt: p.dpopJkt,
      }),
    ),
    lockSessionFamilies: prepare((p: { sid: string }) =>
      db
        .selectFrom('refresh_families')
        .select('id')
        .where('sid', '=', p.sid)
        .where('revoked_at', 'is', null)
        .orderBy('id')
        .forUpdate(),
    ),
    sessionFamilies: prepare((p: { sid: string }) =>
      db.selectFrom('refresh_families').select('id').where('sid', '=', p.sid).where('revoked_at', 'is', null),
    ),
    revokeSessionFamilies: prepare((p: { sid: string; reason: string; now: number }) =>
      db
        .updateTable('refresh_families')
        .set({ revoked_at: p.now, revoked_reason: p.reason })
        .where('sid', '=', p.sid)
        .where('revoked_at', 'is', null),
    ),
    revokeSessionTokens: prepare((p: { sid: string }) =>
      db
        .updateTable('refresh_tokens')
        .set({ state: 'revoked' })
        .where('state', '=', 'active')
        .where('family_id', 'in', (eb) =>
          eb.selectFrom('refresh_families').select('id').where('sid', '=', p.sid),
        ),
    ),
    countActive: prepare((p: { userId: string; now: number }) =>
      db
        .selectFrom('refresh_families as f')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('f.user_id', '=', p.userId)
        .where('f.revoked_at', 'is', null)
        .where('f.absolute_expires_at', '>', p.now)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('refresh_tokens as t')
              .select(eb.lit(1).as('one'))
              .whereRef('t.family_id', '=', 'f.id')
              .where('t.state', '=', 'active')
              .where('t.idle_expires_at', '>', p.now),
          ),
        ),
    ),
  }
}
