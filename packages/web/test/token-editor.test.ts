/**
 * @module The token box coloured in place, in Chromium: one copy of the token on the page, the colour
 * layer exactly under the text, and typing at the caret, pasting and IME composition all editing the
 * real textarea with the colours following.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SignJWT } from 'jose'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser.js'
import { openDebugger } from './support/debugger-page.js'
import { type StaticServer, startStaticServer } from './support/static-server.js'

const FIXED = new Date('2026-03-02T09:30:00Z')
const now = Math.floor(FIXED.getTime() / 1000)
const token = await new SignJWT({ sub: 'user-1', note: 'x'.repeat(400), iat: now, exp: now + 600 })
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .sign(new TextEncoder().encode('correct horse battery staple, 32+ bytes long!'))
const [header, payload, signature] = token.split('.') as [string, string, string]

let server: StaticServer
let browser: Browser

before(async () => {
  server = await startStaticServer()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

const layerText = (page: Page) => page.textContent('#token-highlight')
const partText = (page: Page, part: string) =>
  page
    .locator(`#token-highlight .${part}`)
    .evaluateAll((spans) => spans.map((span) => span.textContent).join(''))

/** Pixels of the editor with only the textarea's text drawn, then only the layer's, in one colour. */
async function renderedTwice(page: Page): Promise<[Buffer, Buffer]> {
  const editor = page.locator('.token-editor')
  const paint = (which: 'input' | 'layer') =>
    page.evaluate((mode) => {
      const input = document.querySelector<HTMLTextAreaElement>('#token-input')!
      const layer = document.querySelector<HTMLElement>('#token-highlight')!
      input.style.color = mode === 'input' ? '#000' : 'transparent'
      input.style.caretColor = 'transparent'
      layer.style.color = mode === 'layer' ? '#000' : 'transparent'
      for (const span of layer.querySelectorAll<HTMLElement>('span')) span.style.color = 'inherit'
    }, which)
  await paint('input')
  const fromInput = await editor.screenshot()
  await paint('layer')
  const fromLayer = await editor.screenshot()
  return [fromInput, fromLayer]
}

// As a string, so the test runner's transpiler adds no helpers the page does not have.
const PIXEL_DIFF = `async ([a, b]) => {
  async function load(base64) {
    const image = new Image()
    image.src = 'data:image/png;base64,' + base64
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = image.width
    canvas.height = image.height
    const context = canvas.getContext('2d')
    context.drawImage(image, 0, 0)
    return context.getImageData(0, 0, image.width, image.height).data
  }
  const [one, two] = [await load(a), await load(b)]
  if (one.length !== two.length) return { ink: 0, off: Infinity }
  let ink = 0
  let off = 0
  for (let i = 0; i < one.length; i += 4) {
    if (one[i] < 128) ink += 1
    const d = Math.max(Math.abs(one[i] - two[i]), Math.abs(one[i + 1] - two[i + 1]), Math.abs(one[i + 2] - two[i + 2]))
    if (d > 96) off += 1
  }
  return { ink, off }
}`

/** Ink pixels in `a`, and pixels where `b` differs clearly, decoded on a blank page (no CSP there). */
async function comparePixels(page: Page, a: Buffer, b: Buffer): Promise<{ ink: number; off: number }> {
  const blank = await page.context().newPage()
  const images = JSON.stringify([a.toString('base64'), b.toString('base64')])
  const result = (await blank.evaluate(`(${PIXEL_DIFF})(${images})`)) as { ink: number; off: number }
  await blank.close()
  return result
}

describe('token box coloured in place (Chromium)', () => {
  test('one copy: the textarea itself shows the parts in colour, and the layer lines up with its text', async () => {
    const { page, errors } = await openDebugger(browser, server, FIXED, {
      viewport: { width: 1280, height: 1200 },
    })
    await page.fill('#token-input', token)
    assert.equal(await page.locator('#encoded-view, #encoded-token').count(), 0)
    // The signature appears once as page text: in the colour layer, nowhere else.
    const holders = await page.evaluate(
      (sig) =>
        [...document.querySelectorAll('body *')]
          .filter(
            (el) => el.children.length === 0 && el.tagName !== 'TEXTAREA' && el.textContent?.includes(sig),
          )
          .map((el) => el.closest('[id]')?.id),
      signature,
    )
    assert.deepEqual(holders, ['token-highlight'])
    assert.equal(await layerText(page), `${token}\u200b`)
    assert.equal(await partText(page, 'part-header'), header)
    assert.equal(await partText(page, 'part-payload'), payload)
    assert.equal(await partText(page, 'part-signature'), signature)
    assert.match(
      (await page.textContent('#token-legend')) ?? '',
      /Header: \d+ characters.*Payload.*Signature: 43 characters/,
    )

    // The textarea's own text is invisible, its caret is not, and it sits exactly on the layer.
    const style = await page.$eval('#token-input', (el) => {
      const css = getComputedStyle(el)
      return { color: css.color, caret: css.caretColor, scrolls: el.scrollHeight > el.clientHeight + 1 }
    })
    assert.deepEqual(style, { color: 'rgba(0, 0, 0, 0)', caret: 'rgb(27, 31, 36)', scrolls: false })
    const [inputBox, layerBox] = await Promise.all([
      page.locator('#token-input').boundingBox(),
      page.locator('#token-highlight').boundingBox(),
    ])
    assert.deepEqual(inputBox, layerBox)
    // The same characters drawn by the textarea and by the layer give the same pixels: every line
    // break falls in the same place.
    const [fromInput, fromLayer] = await renderedTwice(page)
    const { ink, off } = await comparePixels(page, fromInput, fromLayer)
    assert.ok(ink > 5000, `only ${ink} ink pixels: nothing was drawn`)
    // Antialiasing differs by a few levels at glyph edges; a shift of one pixel or one character
    // changes thousands of pixels by far more.
    assert.ok(off < ink / 200, `${off} of ${ink} ink pixels differ: the layer does not line up`)
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('typing at the caret, pasting and IME composition edit the token, and the colours follow', async () => {
    const { page, errors } = await openDebugger(browser, server, FIXED)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await page.fill('#token-input', token)
    await page.locator('#claims-table').waitFor()

    // Type in the middle of the payload, where the caret is.
    const at = header.length + 1 + 4
    await page.$eval(
      '#token-input',
      (el, index) => (el as HTMLTextAreaElement).setSelectionRange(index, index),
      at,
    )
    await page.keyboard.type('Zz')
    const edited = `${token.slice(0, at)}Zz${token.slice(at)}`
    assert.equal(await page.inputValue('#token-input'), edited)
    assert.equal(await page.$eval('#token-input', (el) => (el as HTMLTextAreaElement).selectionStart), at + 2)
    assert.equal(await partText(page, 'part-payload'), `${payload.slice(0, 4)}Zz${payload.slice(4)}`)
    await page.keyboard.press('Backspace')
    await page.keyboard.press('Backspace')
    assert.equal(await page.inputValue('#token-input'), token)
    await page.locator('#claims-table').waitFor()

    // Paste replaces the selection with the clipboard's text, "Bearer " prefix and all.
    await page.evaluate((text) => navigator.clipboard.writeText(text), `Bearer ${token}`)
    await page.focus('#token-input')
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Control+V')
    assert.equal(await page.inputValue('#token-input'), `Bearer ${token}`)
    assert.equal(await layerText(page), `Bearer ${token}\u200b`)
    assert.equal(await partText(page, 'part-header'), header, 'the prefix is not coloured as the header')
    assert.match((await page.textContent('#claims-table')) ?? '', /user-1/)

    // IME: a composition at the end of the text, then committed.
    await page.keyboard.press('End')
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Input.imeSetComposition', { text: '토', selectionStart: 1, selectionEnd: 1 })
    assert.equal(await page.inputValue('#token-input'), `Bearer ${token}토`)
    await cdp.send('Input.insertText', { text: '토큰' })
    assert.equal(await page.inputValue('#token-input'), `Bearer ${token}토큰`)
    assert.equal(await partText(page, 'part-signature'), `${signature}토큰`)
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('with forced colours the textarea shows its own text and the layer steps aside', async () => {
    const { page } = await openDebugger(browser, server, FIXED, { forcedColors: 'active' })
    await page.fill('#token-input', token)
    const seen = await page.evaluate(() => ({
      input: getComputedStyle(document.querySelector('#token-input')!).color,
      layer: getComputedStyle(document.querySelector('#token-highlight')!).visibility,
    }))
    assert.notEqual(seen.input, 'rgba(0, 0, 0, 0)')
    assert.equal(seen.layer, 'hidden')
    await page.context().close()
  })
})
