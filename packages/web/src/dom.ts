/**
 * @module Tiny DOM helpers: build elements from a tag, attributes and children, without innerHTML
 * (token contents are attacker-controlled text and must never be parsed as markup).
 */

type AttrValue = string | number | boolean | undefined | null | EventListener
export type Attrs = Record<string, AttrValue>
export type Child = Node | string | number | null | undefined | false

/** Creates an element; `on*` attributes become listeners, `true` a bare attribute, null/false/undefined nothing. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  setAttrs(element, attrs)
  append(element, children)
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** Creates an SVG element (the chart on the flow page). */
export function svg(tag: string, attrs?: Attrs | null, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement
  setAttrs(element, attrs)
  append(element, children)
  return element
}

function setAttrs(element: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)))
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

let counter = 0
/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  counter += 1
  return `${prefix}-${counter}`
}
