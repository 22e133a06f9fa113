/**
 * @module `tessera jwt encrypt` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('jwt encrypt', 'encrypt a JWE', '@tessera/jose does not export encryptJWT yet')
