/**
 * @module `tessera users list` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('users list', 'x', '@tessera/server does not export its user store yet')
