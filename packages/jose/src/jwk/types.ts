/**
 * @module The JWK shape (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) as plain data.
 */

export interface JWK {
  kty?: string
  kid?: string
  alg?: string
  use?: string
  key_ops?: string[]
  crv?: string
  x?: string
  y?: string
  d?: string
  n?: string
  e?: string
  p?: string
  q?: string
  dp?: string
  dq?: string
  qi?: string
  oth?: unknown
  k?: string
  x5c?: string[]
  x5t?: string
  'x5t#S256'?: string
  x5u?: string
  ext?: boolean
  [member: string]: unknown
}

export interface JWKSet {
  keys: JWK[]
}

export type KeyType = 'secret' | 'public' | 'private'
export type Kty = 'oct' | 'RSA' | 'EC' | 'OKP'
