/**
 * @module Debian's headless Chromium through playwright-core, launched the one way every package's browser
 * tests launch it. The flags keep it off the network it would otherwise call at start (this machine's
 * closed network refuses those connections), and `--no-sandbox` lets it run as root in CI.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium, type LaunchOptions } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Why `what` cannot run here, or undefined when Chromium is installed. The reason is printed loudly; with
 * TESSERA_REQUIRE_SERVICES=1 (CI) a missing browser is an error, not a skip.
 */
export function chromiumMissing(what: string): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined
  const reason = `${CHROMIUM_PATH} is missing: ${what} skipped (apt-get install -y chromium)`
  if (process.env.TESSERA_REQUIRE_SERVICES === '1')
    throw new Error(`${reason}; TESSERA_REQUIRE_SERVICES=1 requires it`)
  process.stderr.write(`\n!!! SKIPPING: ${reason} !!!\n\n`)
  return reason
}

/** Chromium with the house flags; `options.args` are added after them. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  })
}
