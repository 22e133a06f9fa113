/**
 * @module The token box's text cut into coloured runs, character for character as typed: what
 * `cleanToken` drops (surrounding space, line breaks, a "Bearer" prefix) stays in place uncoloured, so
 * the colour layer lines up with the text the user edits.
 */
import type { MessageKey } from '../i18n/en.js'

export interface PartKind {
  className: string
  label: MessageKey
}

export const JWS_PARTS: readonly PartKind[] = [
  { className: 'part-header', label: 'part.header' },
  { className: 'part-payload', label: 'part.payload' },
  { className: 'part-signature', label: 'part.signature' },
]
export const JWE_PARTS: readonly PartKind[] = [
  { className: 'part-header', label: 'part.header' },
  { className: 'part-key', label: 'part.encryptedKey' },
  { className: 'part-iv', label: 'part.iv' },
  { className: 'part-payload', label: 'part.ciphertext' },
  { className: 'part-signature', label: 'part.tag' },
]
const EXTRA: PartKind = { className: 'part-extra', label: 'part.extra' }

export interface Run {
  text: string
  /** 'part-*' for token characters, 'part-dot' for separators, '' for what the parser ignores. */
  className: string
}

export function partKinds(partCount: number): readonly PartKind[] {
  return partCount === 5 ? JWE_PARTS : JWS_PARTS
}

/** The raw text as runs: five parts are coloured as a JWE, anything else as a JWS. */
export function colourRuns(raw: string): Run[] {
  const lead = raw.length - raw.trimStart().length
  const prefix = /^(authorization:\s*)?bearer\s+/i.exec(raw.slice(lead))
  const skip = lead + (prefix ? prefix[0].length : 0)
  const body = raw.slice(skip)
  const kinds = partKinds(body.split('.').length)
  const runs: Run[] = []
  const push = (text: string, className: string) => {
    const last = runs[runs.length - 1]
    if (last && last.className === className) last.text += text
    else runs.push({ text, className })
  }
  if (skip > 0) push(raw.slice(0, skip), '')
  let index = 0
  for (const char of body) {
    if (char === '.') {
      push(char, 'part-dot')
      index += 1
    } else if (/\s/.test(char)) push(char, '')
    else push(char, (kinds[index] ?? EXTRA).className)
  }
  return runs
}
