/**
 * @module `tessera serve` (placeholder until its library half exists).
 */
import { notYet } from '../not-yet.js'

export const command = notYet(
  'serve',
  'run the auth server',
  '@tessera/server does not export startServer yet',
)
