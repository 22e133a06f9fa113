/**
 * @module The libraries in the table, in column order, each by the adapter module its child process loads
 * (one process per library, so one library's JIT state and caches never touch another's numbers).
 */
export const LIBRARIES = [
  { id: 'raw', module: './cases/raw.ts' },
  { id: 'ours-sync', module: './cases/tessera-sync.ts' },
  { id: 'ours-async', module: './cases/tessera-async.ts' },
  { id: 'jose', module: './cases/jose.ts' },
  { id: 'fast-jwt', module: './cases/fast-jwt.ts' },
  { id: 'jsonwebtoken', module: './cases/jsonwebtoken.ts' },
] as const

export type LibraryId = (typeof LIBRARIES)[number]['id']
