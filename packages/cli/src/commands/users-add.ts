/**
 * @module `tessera users add` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('users add', 'x', '@tessera/server does not export its user store yet')
