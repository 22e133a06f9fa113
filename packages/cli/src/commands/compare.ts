/**
 * @module `tessera compare` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet('compare', 'measure sessions vs tokens', 'it needs @tessera/server')
