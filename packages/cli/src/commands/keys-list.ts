/**
 * @module `tessera keys list` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('keys list', 'x', '@tessera/server does not export its key ring yet')
