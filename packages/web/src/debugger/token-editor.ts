/**
 * @module The token box, coloured in place: a transparent-text textarea over a layer that draws the
 * same characters in the part colours. The textarea stays the real input, so caret, selection, paste,
 * undo and IME composition behave as in any text box; a legend names each part so colour is never the
 * only cue.
 */
import { h, replaceChildren } from '../dom.js'
import { bindAttr, t } from '../i18n/index.js'
import { cleanToken } from './parse-token.js'
import { colourRuns, partKinds } from './token-colours.js'

export interface TokenEditor {
  /** The coloured box (layer and textarea). */
  element: HTMLElement
  /** The parts by name and length, for under the box. */
  legend: HTMLElement
  input: HTMLTextAreaElement
  /** Redraws the colour layer and the legend from the textarea's current text. */
  render(): void
}

export function createTokenEditor(): TokenEditor {
  const input = h('textarea', {
    id: 'token-input',
    class: 'token-input',
    rows: '7',
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    'aria-describedby': 'token-hint token-legend',
  })
  bindAttr(input, 'placeholder', 'debugger.placeholder')
  const layer = h('pre', { id: 'token-highlight', class: 'token-highlight', 'aria-hidden': 'true' })
  const legend = h('p', { id: 'token-legend', class: 'token-legend' })

  function render() {
    const raw = input.value
    const spans = colourRuns(raw).map((run) =>
      run.className ? h('span', { class: `part ${run.className}` }, run.text) : run.text,
    )
    // A final newline in a textarea opens an empty line; the layer needs a character there to match.
    replaceChildren(layer, ...spans, '\u200b')
    const token = cleanToken(raw)
    if (token === '') {
      replaceChildren(legend)
      return
    }
    const parts = token.split('.')
    const kinds = partKinds(parts.length)
    replaceChildren(
      legend,
      ...parts.map((part, index) => {
        const kind = kinds[index]
        return h(
          'span',
          { class: `legend-item ${kind?.className ?? 'part-extra'}` },
          h('span', { class: 'swatch', 'aria-hidden': 'true' }),
          t('debugger.partLength', { part: t(kind?.label ?? 'part.extra'), n: part.length }),
        )
      }),
    )
  }

  const element = h('div', { class: 'token-editor' }, layer, input)
  render()
  return { element, legend, input, render }
}
