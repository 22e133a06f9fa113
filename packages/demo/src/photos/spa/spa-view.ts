/**
 * @module What the Photos page shows, built with the DOM (no innerHTML, so nothing the provider or the
 * API says can become markup): who is signed in and under which provider session, when the access token
 * expires, the album from the API, and the SDK's events as they come.
 */

export interface ViewState {
  state: 'loading' | 'signed-in' | 'signed-out'
  user?: { name: string; sub: string; sid: string | undefined }
  expiresAt?: number
  photos?: { title: string; colour: string }[]
  boundToKey?: boolean
  notice?: string
  otherApp?: { name: string; url: string }
}

type Child = Node | string | null | undefined | false

function el(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  for (const child of children) if (child) node.append(child)
  return node
}

export interface ViewActions {
  signIn(): void
  signOut(): void
  reload(): void
}

export class PhotosView {
  readonly #root: HTMLElement
  readonly #events = el('ol', { class: 'events', 'data-events': '' })

  constructor(
    root: HTMLElement,
    private readonly actions: ViewActions,
  ) {
    this.#root = root
  }

  /** One line in the event list (newest last), with the time it came. */
  event(line: string): void {
    this.#events.append(el('li', {}, `${new Date().toLocaleTimeString()} ${line}`))
  }

  render(view: ViewState): void {
    const button = (label: string, attrs: Record<string, string>, onClick: () => void) => {
      const b = el('button', { type: 'button', ...attrs }, label)
      b.addEventListener('click', onClick)
      return b
    }
    const account =
      view.state === 'signed-in' && view.user
        ? el(
            'div',
            { class: 'panel' },
            el(
              'p',
              {},
              'Signed in as ',
              el('strong', { 'data-user': '' }, view.user.name),
              ' — provider session ',
              el('code', { 'data-sid': '' }, view.user.sid ?? ''),
            ),
            el(
              'p',
              {},
              'Access token expires at ',
              el(
                'time',
                { 'data-expires': view.expiresAt ? String(view.expiresAt) : '' },
                view.expiresAt ? new Date(view.expiresAt).toLocaleTimeString() : '…',
              ),
              view.boundToKey === undefined
                ? ''
                : view.boundToKey
                  ? ' · bound to this browser’s DPoP key'
                  : ' · a Bearer token',
            ),
            el(
              'p',
              {},
              button('Reload the album', { 'data-reload': '' }, this.actions.reload),
              ' ',
              button('Sign out', { name: 'logout' }, this.actions.signOut),
            ),
          )
        : view.state === 'signed-out'
          ? el(
              'p',
              {},
              button('Sign in with Tessera', { class: 'primary', 'data-sign-in': '' }, this.actions.signIn),
            )
          : null
    const album = view.photos
      ? el(
          'ul',
          { class: 'photos', 'data-photos': String(view.photos.length) },
          ...view.photos.map((photo) => el('li', { style: `background:${photo.colour}` }, photo.title)),
        )
      : null
    this.#root.replaceChildren(
      el(
        'p',
        { 'data-state': view.state },
        view.state === 'signed-in' ? 'Signed in.' : view.state === 'signed-out' ? 'Signed out.' : 'Loading…',
      ),
      view.notice ? el('p', { class: 'notice', 'data-notice': '' }, view.notice) : '',
      account ?? '',
      album ?? '',
      el('h2', {}, 'What the SDK did'),
      this.#events,
      view.otherApp
        ? el('p', {}, 'The other app: ', el('a', { href: `${view.otherApp.url}/` }, view.otherApp.name))
        : '',
    )
  }
}
