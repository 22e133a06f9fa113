/**
 * @module The reviewer's findings as a list; each level is spelled out in words, not only by colour.
 */
import { h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { t } from '../i18n/index.js'
import { roughSpan, UNIT_KEYS } from './time.js'
import type { Finding, FindingLevel } from './warnings.js'

const LEVEL_KEYS: Record<FindingLevel, MessageKey> = {
  danger: 'level.danger',
  warning: 'level.warning',
  info: 'level.info',
}

export function findingText(finding: Finding): string {
  const params = { ...finding.params }
  if (finding.spanSeconds !== undefined) {
    const span = roughSpan(finding.spanSeconds)
    params.span = t(UNIT_KEYS[span.unit], { n: span.value })
  }
  return t(finding.key, params)
}

export function renderFindings(container: HTMLElement, findings: readonly Finding[], id: string): void {
  if (findings.length === 0) {
    replaceChildren(container)
    return
  }
  replaceChildren(
    container,
    h(
      'ul',
      { class: 'findings', id },
      ...findings.map((finding) =>
        h(
          'li',
          { class: `finding finding-${finding.level}`, 'data-finding': finding.key },
          h('strong', null, t(LEVEL_KEYS[finding.level])),
          ' ',
          findingText(finding),
        ),
      ),
    ),
  )
}
