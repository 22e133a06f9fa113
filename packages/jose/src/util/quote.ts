/**
 * @module Values from a token or a caller quoted for an error message: cut short and JSON-quoted, so a
 * long value cannot flood a log and a control character (a newline, an ANSI escape) cannot forge a line.
 */

/** Longest part of a value an error message repeats. */
const MAX_QUOTED = 100

/**
 * `value` as a JSON string literal of at most ~100 characters of it ("…" marks a cut). Only for values
 * that are not secrets (issuers, audiences, `typ`): never pass a token, a key or a password.
 */
export function quote(value: string): string {
  const cut = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value
  // JSON.stringify escapes C0 controls, quotes and backslashes; DEL, the C1 controls (a terminal
  // reads U+009B as an escape) and U+2028/U+2029 (a line end in some viewers) are escaped here.
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** A list of quoted values for a message: the first few, then how many more. */
export function quoteList(values: readonly string[], max = 5): string {
  const shown = values.slice(0, max).map(quote).join(', ')
  return values.length > max ? `${shown} and ${values.length - max} more` : shown
}
