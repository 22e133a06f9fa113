/**
 * @module `tessera keys rotate` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('keys rotate', 'x', '@tessera/server does not export its key ring yet')
