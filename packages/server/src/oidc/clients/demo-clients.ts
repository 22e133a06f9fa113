/**
 * @module The clients registered in development: the demo relying parties "Notes", a confidential client
 * on http://127.0.0.1:8081, and "Photos", a public single-page app with DPoP required, on
 * http://localhost:8082 (two sites, so single sign-on is seen across origins), and the flow page's own public client `tessera-flow`. Notes' secret is derived from the development TESSERA_SECRET, so the demo apps
 * can compute it without anyone copying it around; production never registers these.
 */
import { hkdfSync } from 'node:crypto'
import type { ClientRegistration } from './registration.js'

export const NOTES_ORIGIN = 'http://127.0.0.1:8081'
export const PHOTOS_ORIGIN = 'http://localhost:8082'

export interface DemoClientCredentials {
  notes: { clientId: 'notes'; clientSecret: string }
  photos: { clientId: 'photos' }
}

/** The demo clients' credentials for a given TESSERA_SECRET (HKDF-SHA256, its own label). */
export function demoClientCredentials(secret: string): DemoClientCredentials {
  const key = hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'tessera', 'tessera demo client notes v1', 32)
  return {
    notes: { clientId: 'notes', clientSecret: Buffer.from(key).toString('base64url') },
    photos: { clientId: 'photos' },
  }
}

export const FLOW_CLIENT_ID = 'tessera-flow'

/**
 * The flow page as a public, first-party client. Its redirect URI is the page itself on a loopback IP:
 * RFC 8252 §7.3 lets the port vary, so the page works on whatever port the development server got.
 */
export const flowClientRegistration: ClientRegistration & { id: string } = {
  id: FLOW_CLIENT_ID,
  name: 'Tessera flow page',
  type: 'public',
  firstParty: true,
  redirectUris: ['http://127.0.0.1/', 'http://[::1]/'],
  scope: 'openid profile email',
  grantTypes: ['authorization_code'],
}

export function demoClientRegistrations(): (ClientRegistration & { id: string })[] {
  return [
    flowClientRegistration,
    {
      id: 'notes',
      name: 'Notes',
      type: 'confidential',
      redirectUris: [`${NOTES_ORIGIN}/callback`],
      postLogoutRedirectUris: [`${NOTES_ORIGIN}/`],
      backchannelLogoutUri: `${NOTES_ORIGIN}/backchannel-logout`,
      scope: 'openid profile email offline_access',
      grantTypes: ['authorization_code', 'refresh_token'],
    },
    {
      id: 'photos',
      name: 'Photos',
      type: 'public',
      redirectUris: [`${PHOTOS_ORIGIN}/callback`],
      postLogoutRedirectUris: [`${PHOTOS_ORIGIN}/`],
      // A single-page app: no server session to end over back-channel; its refresh token is bound to its key.
      dpop: 'required',
      scope: 'openid profile email offline_access',
      grantTypes: ['authorization_code', 'refresh_token'],
    },
  ]
}
