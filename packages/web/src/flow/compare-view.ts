/**
 * @module The sessions-vs-tokens report from `GET /api/compare`: in words, which mode wins where and why;
 * a table of every figure; an inline SVG chart of the three checks' requests per second on one scale, and
 * one pair of bars per numeric figure, each pair on its own scale. When the server has no such route the
 * section says so; it never draws made-up numbers.
 */
import { h, replaceChildren, svg } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { en } from '../i18n/en.js'
import { getLang, t } from '../i18n/index.js'
import { call, type Exchange, isMissing } from './api.js'
import {
  type CompareReport,
  chartPairs,
  compareRows,
  missingReason,
  throughputBars,
} from './compare-report.js'
import { verdicts } from './compare-verdict.js'

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
  // null: a figure the server could not give (no Server-Timing); never drawn as a number.
  if (value === undefined || value === null) return '—'
  if (typeof value === 'boolean') return t(value ? 'compare.yes' : 'compare.no')
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? value.toLocaleString(getLang())
      : value.toLocaleString(getLang(), { maximumFractionDigits: 2 })
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function modeCell(value: unknown, missing: string | undefined): string {
  if (missing !== undefined) return t('compare.notMeasured')
  return cell(value)
}

function table(report: CompareReport): HTMLElement {
  const tokenMissing = missingReason(report.token)
  const sessionMissing = missingReason(report.session)
  const rows = compareRows(report)
  const missingRows = [
    tokenMissing !== undefined
      ? h(
          'tr',
          null,
          h('th', { scope: 'row' }, t('compare.token')),
          h('td', { colspan: '2' }, t('compare.notMeasuredWhy', { why: tokenMissing })),
        )
      : null,
    sessionMissing !== undefined
      ? h(
          'tr',
          null,
          h('th', { scope: 'row' }, t('compare.session')),
          h('td', { colspan: '2' }, t('compare.notMeasuredWhy', { why: sessionMissing })),
        )
      : null,
  ]
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
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-figure': row.name },
          h('th', { scope: 'row' }, fieldLabel(row.name)),
          h('td', null, row.token === undefined ? modeCell(undefined, tokenMissing) : cell(row.token)),
          h('td', null, row.session === undefined ? modeCell(undefined, sessionMissing) : cell(row.session)),
        ),
      ),
      ...missingRows,
    ),
  )
}

// Each figure: its label on a line of its own (labels are long, and Korean ones differ in length),
// then the two bars, drawn on that figure's own scale.
const WIDTH = 640
const BAR_MAX = WIDTH - 90
const ROW = 62

function chart(report: CompareReport): SVGElement | null {
  const pairs = chartPairs(report)
  if (pairs.length === 0) return null
  const height = pairs.length * ROW + 30
  const rows = pairs.flatMap(({ name, token: a, session: b }, index) => {
    const max = Math.max(Math.abs(a), Math.abs(b)) || 1
    const y = 30 + index * ROW - 4
    return [
      svg('text', { x: 0, y: y + 14, class: 'chart-label' }, fieldLabel(name)),
      svg('rect', {
        x: 0,
        y: y + 20,
        width: Math.max(1, (Math.abs(a) / max) * BAR_MAX),
        height: 16,
        class: 'bar-token',
      }),
      svg('text', { x: (Math.abs(a) / max) * BAR_MAX + 6, y: y + 33, class: 'chart-value' }, cell(a)),
      svg('rect', {
        x: 0,
        y: y + 38,
        width: Math.max(1, (Math.abs(b) / max) * BAR_MAX),
        height: 16,
        class: 'bar-session',
      }),
      svg('text', { x: (Math.abs(b) / max) * BAR_MAX + 6, y: y + 51, class: 'chart-value' }, cell(b)),
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
    svg('rect', { x: 0, y: 4, width: 12, height: 12, class: 'bar-token' }),
    svg('text', { x: 18, y: 15, class: 'chart-label' }, t('compare.token')),
    svg('rect', { x: 140, y: 4, width: 12, height: 12, class: 'bar-session' }),
    svg('text', { x: 158, y: 15, class: 'chart-label' }, t('compare.session')),
    ...rows,
  )
}

/** The verdicts in words, each marked with the mode that wins it. */
function verdictList(report: CompareReport): HTMLElement | null {
  const list = verdicts(report)
  if (list.length === 0) return null
  return h(
    'div',
    { id: 'compare-verdicts' },
    h('h3', null, t('compare.verdictTitle')),
    h(
      'ul',
      { class: 'verdicts' },
      ...list.map((v) =>
        h(
          'li',
          { 'data-topic': v.topic, 'data-winner': v.winner },
          t(
            v.key as MessageKey,
            Object.fromEntries(Object.entries(v.params).map(([name, value]) => [name, cell(value)])),
          ),
        ),
      ),
    ),
  )
}

/** Requests per second of the three checks on one scale, p50 / p99 beside each bar. */
function throughputChart(report: CompareReport): SVGElement | null {
  const bars = throughputBars(report)
  if (bars.length === 0) return null
  const max = Math.max(...bars.map((b) => b.requests_per_second)) || 1
  const classes = { session: 'bar-session', token: 'bar-token', resource: 'bar-resource' }
  const rows = bars.flatMap((bar, index) => {
    const y = 8 + index * 44
    const width = Math.max(1, (bar.requests_per_second / max) * (BAR_MAX - 120))
    return [
      svg('text', { x: 0, y: y + 12, class: 'chart-label' }, t(`compare.bar.${bar.name}` as MessageKey)),
      svg('rect', { x: 0, y: y + 18, width, height: 16, class: classes[bar.name], 'data-bar': bar.name }),
      svg(
        'text',
        { x: width + 6, y: y + 31, class: 'chart-value' },
        `${cell(bar.requests_per_second)} req/s · ${cell(bar.latency_p50_ms)} / ${cell(bar.latency_p99_ms)} ms`,
      ),
    ]
  })
  return svg(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${bars.length * 44 + 12}`,
      role: 'img',
      'aria-labelledby': 'compare-throughput-title compare-throughput-desc',
      class: 'compare-chart',
      id: 'compare-throughput',
    },
    svg('title', { id: 'compare-throughput-title' }, t('compare.throughputTitle')),
    svg('desc', { id: 'compare-throughput-desc' }, t('compare.throughputDesc')),
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
      const { measured_at: at, url, duration_seconds_per_mode: seconds, connections } = state.report
      const when =
        at && !Number.isNaN(Date.parse(at))
          ? new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(
              new Date(at),
            )
          : undefined
      replaceChildren(
        container,
        when
          ? h(
              'p',
              { class: 'hint', id: 'compare-measured' },
              t(url ? 'compare.measuredUrl' : 'compare.measured', {
                when,
                url: url ?? '',
                seconds: seconds ?? '—',
                connections: connections ?? '—',
              }),
            )
          : null,
        verdictList(state.report),
        throughputChart(state.report),
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
