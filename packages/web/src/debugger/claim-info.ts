/**
 * @module Which claims and header parameters the page can explain, and the catalogue key for each
 * (RFC 7519 §4.1, RFC 9068, OpenID Connect Core §2 and §5.1, RFC 7515 §4.1, RFC 7516 §4.1).
 */
import type { MessageKey } from '../i18n/en.js'

export const CLAIM_HELP: Readonly<Record<string, MessageKey>> = {
  iss: 'claim.iss',
  sub: 'claim.sub',
  aud: 'claim.aud',
  exp: 'claim.exp',
  nbf: 'claim.nbf',
  iat: 'claim.iat',
  jti: 'claim.jti',
  client_id: 'claim.client_id',
  scope: 'claim.scope',
  sid: 'claim.sid',
  azp: 'claim.azp',
  auth_time: 'claim.auth_time',
  nonce: 'claim.nonce',
  cnf: 'claim.cnf',
  act: 'claim.act',
  email: 'claim.email',
  name: 'claim.name',
}

export const HEADER_HELP: Readonly<Record<string, MessageKey>> = {
  alg: 'hdr.alg',
  typ: 'hdr.typ',
  kid: 'hdr.kid',
  cty: 'hdr.cty',
  crit: 'hdr.crit',
  jku: 'hdr.jku',
  jwk: 'hdr.jwk',
  x5u: 'hdr.x5u',
  x5c: 'hdr.x5c',
  enc: 'hdr.enc',
  zip: 'hdr.zip',
  epk: 'hdr.epk',
  p2c: 'hdr.p2c',
}
