/**
 * @module A Photos tab opened by the flow page reports its token events to it: `postMessage` to
 * `window.opener`, addressed to the flow page's origin only (the configured one, never `*`), carrying
 * times and who refreshed — never a token.
 */

export interface TabReport {
  source: 'tessera-photos'
  /** The tab's window name, as the flow page opened it. */
  tab: string
  kind: 'signedIn' | 'signedOut' | 'tokenRefreshed' | 'error' | 'ready'
  expiresAt?: number
  by?: 'this-tab' | 'other-tab'
  detail?: string
  at: number
}

export function tabReporter(flowOrigin: string): (report: Omit<TabReport, 'source' | 'tab' | 'at'>) => void {
  const opener = window.opener as Window | null
  if (!opener || !window.name) return () => {}
  return (report) => {
    const message: TabReport = { source: 'tessera-photos', tab: window.name, at: Date.now(), ...report }
    try {
      opener.postMessage(message, flowOrigin)
    } catch {
      // The opener navigated away or closed: nobody to tell.
    }
  }
}
