/**
 * @module The sessions-vs-tokens report from `GET /api/compare`: a table of every figure and a small
 * inline SVG chart (one pair of bars per numeric figure, each pair on its own scale). When the server
 * has no such route the section says so; it never draws made-up numbers.
 */
import { h, replaceChildren, svg } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { en } from '../i18n/en.js'
import { t } from '../i18n/index.js'
import { call, type Exchange, isMissing } from './api.js'

export interface CompareReport {
  token: Record<string, unknown>
  session: Record<string, unknown>
  notes?: unknown[]
}

export type CompareState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'pending'; exchange: Exchange }
  | { kind: 'error'; exchange: Exchange }
  | { kind: 'ready'; report: CompareReport }

export async function fetchCompare(): Promise<CompareState> {
  const exchange = await call('GET', '/api/compare')
  if (exchange.networkError) return { kind: 'error', exchange }
  if (isMissing(exchange)) return { kind: 'missing' }
  // 202/204/503: the server is still measuring (demo mode runs a short one on first request).
  if (exchange.status === 202 || exchange.status === 204 || exchange.status === 503)
    return { kind: 'pending', exchange }
  const body = exchange.body as Partial<CompareReport> | undefined
  if (
    exchange.status !== 200 ||
    typeof body?.token !== 'object' ||
    typeof body.session !== 'object' ||
    !body.token ||
    !body.session
  ) {
    return { kind: 'error', exchange }
  }
  return { kind: 'ready', report: body as CompareReport }
}

/** A field's label: the catalogue's when it has one (`compare.field.<name>`), else the name made readable. */
export function fieldLabel(name: string): string {
  const key = `compare.field.${name}` as MessageKey
  return key in en ? t(key) : name.replace(/_/g, ' ').replace(/\bus\b/g, 'µs')
}

function cell(value: unknown): string {
  if (value === undefined) return '—'
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? value.toLocaleString()
      : value.toLocaleString(undefined, { maximumFractionDigits: 2 })
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function table(report: CompareReport): HTMLElement {
  const names = [...new Set([...Object.keys(report.token), ...Object.keys(report.session)])]
  return h(
    'table',
    { class: 'compare-table', id: 'compare-table' },
    h('caption', null, t('compare.caption')),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('compare.figure')),
        h('th', { scope: 'col' }, t('compare.token')),
        h('th', { scope: 'col' }, t('compare.session')),
      ),
    ),
    h(
      'tbody',
      null,
      ...names.map((name) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, fieldLabel(name)),
          h('td', null, cell(report.token[name])),
          h('td', null, cell(report.session[name])),
        ),
      ),
    ),
  )
}

const WIDTH = 640
const LABEL_WIDTH = 230
const BAR_MAX = WIDTH - LABEL_WIDTH - 90
const ROW = 46

function chart(report: CompareReport): SVGElement | null {
  const metrics = Object.keys(report.token).filter(
    (name) => typeof report.token[name] === 'number' && typeof report.session[name] === 'number',
  )
  if (metrics.length === 0) return null
  const height = metrics.length * ROW + 30
  const rows = metrics.flatMap((name, index) => {
    const a = report.token[name] as number
    const b = report.session[name] as number
    const max = Math.max(Math.abs(a), Math.abs(b)) || 1
    const y = 30 + index * ROW
    return [
      svg('text', { x: 0, y: y + 18, class: 'chart-label' }, fieldLabel(name)),
      svg('rect', {
        x: LABEL_WIDTH,
        y: y + 4,
        width: Math.max(1, (Math.abs(a) / max) * BAR_MAX),
        height: 16,
        class: 'bar-token',
      }),
      svg(
        'text',
        { x: LABEL_WIDTH + (Math.abs(a) / max) * BAR_MAX + 6, y: y + 17, class: 'chart-value' },
        cell(a),
      ),
      svg('rect', {
        x: LABEL_WIDTH,
        y: y + 22,
        width: Math.max(1, (Math.abs(b) / max) * BAR_MAX),
        height: 16,
        class: 'bar-session',
      }),
      svg(
        'text',
        { x: LABEL_WIDTH + (Math.abs(b) / max) * BAR_MAX + 6, y: y + 35, class: 'chart-value' },
        cell(b),
      ),
    ]
  })
  return svg(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-labelledby': 'compare-chart-title compare-chart-desc',
      class: 'compare-chart',
      id: 'compare-chart',
    },
    svg('title', { id: 'compare-chart-title' }, t('compare.chartTitle')),
    svg('desc', { id: 'compare-chart-desc' }, t('compare.chartDesc')),
    svg('rect', { x: LABEL_WIDTH, y: 4, width: 12, height: 12, class: 'bar-token' }),
    svg('text', { x: LABEL_WIDTH + 18, y: 15, class: 'chart-label' }, t('compare.token')),
    svg('rect', { x: LABEL_WIDTH + 140, y: 4, width: 12, height: 12, class: 'bar-session' }),
    svg('text', { x: LABEL_WIDTH + 158, y: 15, class: 'chart-label' }, t('compare.session')),
    ...rows,
  )
}

export function renderCompare(container: HTMLElement, state: CompareState): void {
  switch (state.kind) {
    case 'idle':
      replaceChildren(container)
      return
    case 'loading':
      replaceChildren(container, h('p', { class: 'muted' }, t('compare.loading')))
      return
    case 'missing':
      replaceChildren(
        container,
        h(
          'p',
          { class: 'result result-unavailable', id: 'compare-unavailable', 'data-outcome': 'unavailable' },
          t('compare.unavailable'),
        ),
      )
      return
    case 'pending':
      replaceChildren(
        container,
        h(
          'p',
          { class: 'result result-busy', id: 'compare-pending' },
          t('compare.pending', { status: state.exchange.status }),
        ),
      )
      return
    case 'error':
      replaceChildren(
        container,
        h(
          'p',
          { class: 'result result-error', id: 'compare-error' },
          t('compare.error', { status: state.exchange.status || '—' }),
        ),
      )
      return
    case 'ready': {
      const notes = (state.report.notes ?? []).filter((note): note is string => typeof note === 'string')
      replaceChildren(
        container,
        table(state.report),
        chart(state.report),
        notes.length > 0
          ? h(
              'div',
              null,
              h('h3', null, t('compare.notes')),
              h('ul', { class: 'notes', lang: 'en' }, ...notes.map((note) => h('li', null, note))),
            )
          : null,
      )
    }
  }
}
