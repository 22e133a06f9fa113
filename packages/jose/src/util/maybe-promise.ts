/**
 * @module MaybePromise chaining: one pipeline serves the synchronous Node path (no promise is ever made)
 * and the asynchronous WebCrypto path (each step awaits what its backend returns).
 */
import type { MaybePromise } from '../backend/types.js'

export function isPromiseLike<T>(value: MaybePromise<T> | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

/** `f(value)` now when `value` is ready, or after it settles when it is a promise. */
export function chain<T, U>(
  value: MaybePromise<T> | PromiseLike<T>,
  f: (ready: T) => MaybePromise<U>,
): MaybePromise<U> {
  return isPromiseLike(value) ? Promise.resolve(value).then(f) : f(value)
}
