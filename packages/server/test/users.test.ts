/**
 * @module Users without HTTP: the NIST-style password policy, argon2id parameters and rehash on login,
 * and the login throttle's exponential back-off (time moved, never slept).
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { manualClock, openSqlStore, type SqlStore } from '../src/index.js'
import { PasswordHasher } from '../src/users/password-hash.js'
import { checkPassword, commonPasswords } from '../src/users/password-policy.js'
import { accountBackoffSeconds } from '../src/users/throttle.js'
import { UserService } from '../src/users/user-service.js'
import { tempDir } from './helpers/test-server.js'

const policy = {
  minLength: 12,
  accountFreeFailures: 3,
  accountMaxBackoff: 60,
  ipMaxFailures: 100,
  ipWindow: 900,
}
const dir = tempDir()
const clock = manualClock(1_800_000_000_000)
let store: SqlStore
let users: UserService
before(async () => {
  store = await openSqlStore(`sqlite:${join(dir, 'users.db')}`)
  users = new UserService({ store, clock, policy })
})
after(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

test('policy: length counts code points after NFKC; composition is not required', () => {
  assert.throws(() => checkPassword('short pass', 'ivy', policy), {
    code: 'ERR_PASSWORD_REJECTED',
    reason: 'too_short',
  })
  checkPassword('all lower case words', 'ivy', policy)
  checkPassword('🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊', 'ivy', policy)
  assert.throws(() => checkPassword('a'.repeat(129), 'ivy', policy), { reason: 'too_long' })
  checkPassword('b'.repeat(64), 'ivy', policy)
})

test('policy: passwords from the bundled breach list are refused, whatever their case', () => {
  assert.ok(commonPasswords().size >= 9000)
  assert.ok(commonPasswords().has('qwertyuiopasdfgh') || commonPasswords().has('1234567890'))
  const common = [...commonPasswords()].find((p) => p.length >= 12)!
  assert.throws(() => checkPassword(common.toUpperCase(), 'ivy', policy), { reason: 'too_common' })
  assert.throws(() => checkPassword('12345678', 'ivy', { minLength: 8 }), { reason: 'too_common' })
})

test('policy: a password containing the username is refused', () => {
  assert.throws(() => checkPassword('my name is jasper!!', 'jasper', policy), { reason: 'contains_username' })
})

test('argon2id at OWASP parameters; a hash with other parameters is rehashed at the next login', async () => {
  const user = await users.register('kim', 'a perfectly fine passphrase')
  assert.match(user.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  const weak = new PasswordHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 })
  await store.users.setPasswordHash(user.id, await weak.hash('a perfectly fine passphrase'), clock())
  await users.authenticate('kim', 'a perfectly fine passphrase')
  const after = await store.users.findById(user.id)
  assert.match(after!.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
})

test('unknown users, wrong passwords and disabled accounts all fail the same way', async () => {
  await users.register('lee', 'another fine passphrase')
  await assert.rejects(users.authenticate('nobody', 'whatever it is'), {
    code: 'ERR_AUTH_CREDENTIALS_INVALID',
  })
  await assert.rejects(users.authenticate('lee', 'wrong passphrase'), {
    code: 'ERR_AUTH_CREDENTIALS_INVALID',
  })
  await users.setDisabled('lee', true)
  await assert.rejects(users.authenticate('lee', 'another fine passphrase'), {
    code: 'ERR_AUTH_CREDENTIALS_INVALID',
    message: 'the username or password is wrong',
  })
})

test('back-off doubles after the free failures, capped', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 10, 20].map((n) => accountBackoffSeconds(n, policy)),
    [0, 0, 1, 2, 4, 8, 60, 60],
  )
})

test('per-account throttle: 429-class error with Retry-After, lifted by time, cleared by a success', async () => {
  await users.register('max', 'the right passphrase')
  const throttled = async (password: string) => {
    const error = await users.authenticate('max', password).catch((e: unknown) => e)
    assert.equal((error as { code: string }).code, 'ERR_AUTH_THROTTLED')
    assert.equal((error as { status: number }).status, 429)
    return (error as { headers: Record<string, string> }).headers['retry-after']
  }
  for (let i = 0; i < 3; i++)
    await assert.rejects(users.authenticate('max', 'wrong passphrase'), {
      code: 'ERR_AUTH_CREDENTIALS_INVALID',
    })
  // 3 free failures used: the next attempt waits 1 s after the last failure — even with the right password.
  assert.equal(await throttled('the right passphrase'), '1')
  clock.advance(1000)
  await assert.rejects(users.authenticate('max', 'wrong passphrase'), {
    code: 'ERR_AUTH_CREDENTIALS_INVALID',
  })
  assert.equal(await throttled('wrong passphrase'), '2')
  clock.advance(2000)
  await users.authenticate('max', 'the right passphrase')
  // The success cleared the counter.
  await assert.rejects(users.authenticate('max', 'wrong passphrase'), {
    code: 'ERR_AUTH_CREDENTIALS_INVALID',
  })
})

test('per-address throttle counts failures across accounts', async () => {
  const strict = new UserService({ store, clock, policy: { ...policy, ipMaxFailures: 3 } })
  for (const name of ['n1', 'n2', 'n3']) {
    await assert.rejects(strict.authenticate(name, 'whatever it is', '203.0.113.9'), {
      code: 'ERR_AUTH_CREDENTIALS_INVALID',
    })
  }
  await assert.rejects(strict.authenticate('n4', 'whatever it is', '203.0.113.9'), {
    code: 'ERR_AUTH_THROTTLED',
  })
  await assert.rejects(strict.authenticate('n4', 'whatever it is', '198.51.100.1'), {
    code: 'ERR_AUTH_CREDENTIALS_INVALID',
  })
  clock.advance(900_000)
  await assert.rejects(strict.authenticate('n4', 'whatever it is', '203.0.113.9'), {
    code: 'ERR_AUTH_CREDENTIALS_INVALID',
  })
})
