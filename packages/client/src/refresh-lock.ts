/**
 * @module One refresh at a time for the whole origin: the Web Locks API (`navigator.locks`, released by
 * the browser when the holding tab closes or crashes), or a BroadcastChannel election where it is missing.
 */
import { electionLock } from './election-lock.js'

export type RunExclusive = <T>(fn: () => Promise<T>) => Promise<T>

export function refreshLock(name: string): RunExclusive {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (locks && typeof locks.request === 'function')
    return <T>(fn: () => Promise<T>) => locks.request(name, { mode: 'exclusive' }, fn) as Promise<T>
  return electionLock(name)
}
