/**
 * @module DPoP at `/token`, every grant with and without a proof: authorization_code (a `dpop_jkt` code
 * redeemed only by that key), refresh_token (a public client's family bound to the key; a confidential
 * client's not, its new access token bound to the proof given), client_credentials; and the per-client
 * setting — `required` refuses a request without a proof, `off` ignores the header and issues Bearer.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { OAuthClientRecord } from '../../src/store/types.js'
import { useHarness } from '../oidc/authorize-fixtures.js'
import {
  addConfidential,
  basic,
  type IssuedCode,
  issueCode,
  providerSession,
  token,
} from '../oidc/token-fixtures.js'
import { assertBound, assertProofRefused, claimsOf, newKey, proof, thumbprint } from './dpop-fixtures.js'

const h = useHarness()
type Key = ReturnType<typeof newKey>
type Answer = Awaited<ReturnType<typeof token>>
const dpop = (key: Key) => ({ dpop: proof(key, 'POST', `${h.t.url}/token`) })

function assertBearer(answer: Answer) {
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.equal(answer.body.token_type, 'Bearer')
  assert.equal(claimsOf(answer.body.access_token).cnf, undefined)
}

let users = 0
async function codeFor(client: OAuthClientRecord, dpopJkt: string | null = null): Promise<IssuedCode> {
  const session = await providerSession(h, `dpop-user-${++users}`)
  return issueCode(h, client, session, { scope: 'openid offline_access', dpopJkt })
}

/** Redeems a fresh code of `client` (bound to `dpopJkt` when given) with `headers`. */
async function redeemFresh(
  client: OAuthClientRecord,
  headers: Record<string, string> = {},
  dpopJkt: string | null = null,
): Promise<Answer> {
  const issued = await codeFor(client, dpopJkt)
  const form = {
    grant_type: 'authorization_code',
    code: issued.code,
    redirect_uri: issued.redirectUri,
    code_verifier: issued.verifier,
    ...(client.type === 'public' ? { client_id: client.id } : {}),
  }
  return token(h, form, headers)
}

const refresh = (answer: Answer, clientId: string | undefined, headers: Record<string, string> = {}) =>
  token(
    h,
    {
      grant_type: 'refresh_token',
      refresh_token: String(answer.body.refresh_token),
      ...(clientId ? { client_id: clientId } : {}),
    },
    headers,
  )

describe('a public client', () => {
  test('authorization_code without a proof: Bearer, and its refresh needs none', async () => {
    const client = await h.addClient('spa-plain')
    const first = await redeemFresh(client)
    assertBearer(first)
    assertBearer(await refresh(first, client.id))
  })

  test("authorization_code with a proof binds the token and the family: refresh only with the key's proof", async () => {
    const client = await h.addClient('spa-dpop')
    const key = newKey()
    const first = await redeemFresh(client, dpop(key))
    await assertBound(first, key)
    assertProofRefused(await refresh(first, client.id), /bound to a DPoP key/)
    assertProofRefused(await refresh(first, client.id, dpop(newKey())), /another DPoP key/)
    // Neither refusal revoked anything: the owner refreshes.
    await assertBound(await refresh(first, client.id, dpop(key)), key)
  })

  test('a code bound with dpop_jkt (RFC 9449 §10) is redeemed only with a proof by that key', async () => {
    const client = await h.addClient('spa-jkt')
    const key = newKey()
    const jkt = await thumbprint(key)
    assertProofRefused(await redeemFresh(client, {}, jkt), /bound to a DPoP key/)
    assertProofRefused(await redeemFresh(client, dpop(newKey()), jkt), /another DPoP key/)
    await assertBound(await redeemFresh(client, dpop(key), jkt), key)
  })
})

describe('a confidential client', () => {
  test('its refresh tokens stay bound to client authentication; each access token to the proof given', async () => {
    const { client, secret } = await addConfidential(h, 'server-app')
    const auth = basic(client.id, secret)
    const key = newKey()
    const first = await redeemFresh(client, { ...auth, ...dpop(key) })
    await assertBound(first, key)
    assertBearer(await refresh(first, undefined, auth))
  })

  test('a refresh with another key gives an access token bound to that key', async () => {
    const { client, secret } = await addConfidential(h, 'server-app-2')
    const auth = basic(client.id, secret)
    const first = await redeemFresh(client, { ...auth, ...dpop(newKey()) })
    const other = newKey()
    await assertBound(await refresh(first, undefined, { ...auth, ...dpop(other) }), other)
  })

  test('client_credentials: DPoP-bound with a proof, Bearer without', async () => {
    const { client, secret } = await addConfidential(h, 'machine')
    const auth = basic(client.id, secret)
    const key = newKey()
    await assertBound(await token(h, { grant_type: 'client_credentials' }, { ...auth, ...dpop(key) }), key)
    assertBearer(await token(h, { grant_type: 'client_credentials' }, auth))
  })
})

describe('the per-client setting', () => {
  test('required: a token request without a proof is refused, with one it is answered', async () => {
    const client = await h.addClient('spa-required', { dpop: 'required' })
    assertProofRefused(await redeemFresh(client), /must send a DPoP proof/)
    const key = newKey()
    const first = await redeemFresh(client, dpop(key))
    await assertBound(first, key)
  })

  test('required holds for client_credentials too', async () => {
    const { client, secret } = await addConfidential(h, 'machine-required', { dpop: 'required' })
    assertProofRefused(await token(h, { grant_type: 'client_credentials' }, basic(client.id, secret)))
  })

  test('off: the DPoP header is not read — Bearer tokens, even for a broken header', async () => {
    const client = await h.addClient('spa-off', { dpop: 'off' })
    assertBearer(await redeemFresh(client, dpop(newKey())))
    assertBearer(await redeemFresh(client, { dpop: 'not-a-proof' }))
  })

  test('allowed (the default): a broken header is refused, not ignored', async () => {
    const client = await h.addClient('spa-allowed')
    assertProofRefused(await redeemFresh(client, { dpop: 'not-a-proof' }))
  })
})
