/**
 * @module `tessera jwt decrypt` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('jwt decrypt', 'decrypt a JWE', '@tessera/jose does not export decryptJWT yet')
