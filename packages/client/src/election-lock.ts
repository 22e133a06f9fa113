/**
 * @module One holder at a time across the tabs of an origin, over a BroadcastChannel, for browsers without
 * the Web Locks API. A tab claims, waits a short window for rival claims (the lowest ticket wins) and for
 * a holder's answer; the holder announces itself every heartbeat and releases when done or when its page
 * goes away. A holder that vanishes silently (a crashed tab) is taken over once its heartbeats stop.
 */

const CLAIM_WINDOW_MS = 80
const HEARTBEAT_MS = 400
/** A holder not heard from for this long is gone. */
const HOLDER_TIMEOUT_MS = 1500

type ElectionMessage =
  | { type: 'claim'; ticket: string }
  | { type: 'held'; ticket: string }
  | { type: 'released'; ticket: string }

const newTicket = () => `${Date.now().toString(36).padStart(10, '0')}-${crypto.randomUUID()}`

export function electionLock(name: string): <T>(fn: () => Promise<T>) => Promise<T> {
  const channel = new BroadcastChannel(`${name} election`)
  /** Other tabs' live claims and holders: ticket → last heard from (epoch ms), and whether it holds. */
  const others = new Map<string, { at: number; holds: boolean }>()
  let mine: { ticket: string; holds: boolean } | undefined
  const wakers = new Set<() => void>()
  const wake = () => {
    for (const w of [...wakers]) w()
  }

  channel.onmessage = (event: MessageEvent<ElectionMessage>) => {
    const m = event.data
    if (m.type === 'released') others.delete(m.ticket)
    else others.set(m.ticket, { at: Date.now(), holds: m.type === 'held' })
    // A holder answers every claim at once, so the claimant learns of it within its window.
    if (m.type === 'claim' && mine?.holds) channel.postMessage({ type: 'held', ticket: mine.ticket })
    wake()
  }
  addEventListener('pagehide', () => {
    if (mine) channel.postMessage({ type: 'released', ticket: mine.ticket })
  })

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        wakers.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      wakers.add(done)
    })

  const blocked = (ticket: string) => {
    const now = Date.now()
    for (const [other, seen] of others) {
      if (now - seen.at > HOLDER_TIMEOUT_MS) others.delete(other)
      else if (seen.holds || other < ticket) return true
    }
    return false
  }

  let queue: Promise<unknown> = Promise.resolve()

  const acquire = async (): Promise<string> => {
    for (;;) {
      const ticket = newTicket()
      mine = { ticket, holds: false }
      channel.postMessage({ type: 'claim', ticket })
      await new Promise((resolve) => setTimeout(resolve, CLAIM_WINDOW_MS))
      if (!blocked(ticket)) {
        mine.holds = true
        channel.postMessage({ type: 'held', ticket })
        return ticket
      }
      // Withdraw, and wait for a release (or a holder's silence) before claiming again.
      channel.postMessage({ type: 'released', ticket })
      mine = undefined
      while (blocked(`~${ticket}`)) await sleep(HEARTBEAT_MS)
    }
  }

  return <T>(fn: () => Promise<T>): Promise<T> => {
    // In this tab, one at a time; across tabs, the election.
    const run = queue.then(async () => {
      const ticket = await acquire()
      const heartbeat = setInterval(() => channel.postMessage({ type: 'held', ticket }), HEARTBEAT_MS)
      try {
        return await fn()
      } finally {
        clearInterval(heartbeat)
        mine = undefined
        channel.postMessage({ type: 'released', ticket })
      }
    })
    queue = run.catch(() => undefined)
    return run
  }
}
