/**
 * @module The parameters of one authorization request, read once from the query string (GET) or the form
 * body (POST). Every parameter is single-valued (RFC 6749 §3.1: "parameters MUST NOT be included more
 * than once"), so a repeated one is remembered as such instead of one copy being picked: two copies of
 * `redirect_uri` or `client_id` are how parser differentials smuggle a second value past a check.
 */

export interface RequestParams {
  /** The single value of `name`, or undefined when absent (an empty value counts as absent). */
  get(name: string): string | undefined
  /** The names sent more than once. */
  readonly repeated: ReadonlySet<string>
}

export function readParams(source: URLSearchParams): RequestParams {
  const values = new Map<string, string>()
  const repeated = new Set<string>()
  for (const [name, value] of source) {
    if (values.has(name)) repeated.add(name)
    else values.set(name, value)
  }
  return {
    get: (name) => {
      const value = values.get(name)
      return value === undefined || value === '' ? undefined : value
    },
    repeated,
  }
}

/** The query string of a request URL as parameters (the path is ignored). */
export function queryParams(url: string): URLSearchParams {
  const at = url.indexOf('?')
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1))
}
