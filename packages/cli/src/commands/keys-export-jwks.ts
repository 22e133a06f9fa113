/**
 * @module `tessera keys export-jwks` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('keys export-jwks', 'x', '@tessera/server does not export its key ring yet')
