/**
 * @module The `alg` values this server accepts on DPoP proofs: asymmetric only (RFC 9449 §4.3 refuses
 * MACs and `none`). The proof check and the discovery metadata's `dpop_signing_alg_values_supported`
 * read this one list.
 */
export const DPOP_SIGNING_ALGS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
])
