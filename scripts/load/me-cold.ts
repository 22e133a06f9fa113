/**
 * @module The cold path beside its limit: GET /me with tokens never seen before, in rounds, each round
 * between two measurements of the limit's two rates (the baseline route's req/s on the same server and
 * the in-process ES256 verify rate), L C L C … C L. On two shared cores the machine's speed drifts by a
 * fifth within a minute (measured: the verify rate moved from 5,300/s to 8,100/s between runs a minute
 * apart), so a limit taken once, seconds away from the run it bounds, said more about the drift than about
 * the server; here every cold round has its limit from just before and just after it.
 * Beside the rounds, the server's own Server-Timing `signature` part (its verifier, as the in-process
 * rate's) is sampled with tokens of their own, on the idle server and during the rounds: where the cold
 * path's time goes that the limit does not count.
 */
import { coldPath, cycling, meanRuns, type Run, verifyRate } from './me-runs.js'
import { median } from './stats.js'

export interface ColdRound {
  coldRequestsPerSecond: number
  limitRequestsPerSecond: number
  ratio: number
}

export interface ColdBesideLimit {
  /** The cold rounds as one run: requests over the rounds' summed time. */
  cold: Run
  /** The baseline's runs beside the rounds, averaged. */
  baseline: Run
  verifiesPerSecond: number
  limitRequestsPerSecond: number
  /** Pooled: the cold rate over all rounds ÷ the limit from all the measurements beside them. */
  ratio: number
  rounds: ColdRound[]
  /** Median of the server's Server-Timing `signature` part, µs: idle, and while a round runs. */
  signatureUs: { idle: number; underLoad: number; samples: number }
}

export interface ColdOptions {
  url: string
  issuer: string
  baselinePath: string
  /** Tokens the server has never seen, split evenly over the rounds. */
  pool: string[]
  /** More never-seen tokens, for the Server-Timing samples (one each; a few hundred). */
  sampleTokens: string[]
  rounds: number
  connections: number
  serverPids: number[]
}

/** A request on the cold path costs what the baseline costs plus one signature check, on one event loop. */
const limitOf = (baseline: number, verifies: number) => 1 / (1 / baseline + 1 / verifies)

export async function coldBesideLimit(options: ColdOptions): Promise<ColdBesideLimit> {
  const { url, issuer, baselinePath, pool, sampleTokens, rounds, connections, serverPids } = options
  // The in-process verifier is this process's own, with no cache: verifying pool tokens leaves them unseen
  // by the server.
  const verifyTokens = pool.slice(0, Math.min(pool.length, 3000))
  const measureLimit = async () => ({
    verifies: await verifyRate(url, verifyTokens, issuer),
    baseline: await cycling(
      `GET ${baselinePath}, beside the cold path`,
      [url],
      baselinePath,
      [],
      connections,
      2,
      serverPids,
    ),
  })
  const share = Math.floor(pool.length / rounds)
  const samples = new SignatureSampler(url, sampleTokens)
  const idle = await samples.take(Math.floor(sampleTokens.length / 4), () => false)
  const underLoad: number[] = []
  const limits = [await measureLimit()]
  const colds: Run[] = []
  for (let r = 0; r < rounds; r++) {
    const tokens = pool.slice(r * share, (r + 1) * share)
    let running = true
    // An equal share of the tokens left for each round still to run, so every round is sampled.
    const sampling = samples.take(Math.floor(samples.left / (rounds - r)), () => !running, 10)
    colds.push(
      await coldPath('GET /me, every token new (cold path)', url, '/me', tokens, connections, serverPids),
    )
    running = false
    underLoad.push(...(await sampling))
    limits.push(await measureLimit())
  }
  const roundFigures = colds.map((cold, r) => {
    const [before, after] = [limits[r]!, limits[r + 1]!]
    const limit = limitOf(
      (before.baseline.requestsPerSecond + after.baseline.requestsPerSecond) / 2,
      (before.verifies + after.verifies) / 2,
    )
    return {
      coldRequestsPerSecond: cold.requestsPerSecond,
      limitRequestsPerSecond: Math.round(limit),
      ratio: cold.requestsPerSecond / limit,
    }
  })
  const seconds = colds.reduce((sum, c) => sum + c.requests / c.requestsPerSecond, 0)
  const requests = colds.reduce((sum, c) => sum + c.requests, 0)
  const cold = { ...meanRuns(colds), requestsPerSecond: Math.round(requests / seconds) }
  const baseline = meanRuns(limits.map((l) => l.baseline))
  const verifies = Math.round(limits.reduce((sum, l) => sum + l.verifies, 0) / limits.length)
  const limit = limitOf(baseline.requestsPerSecond, verifies)
  return {
    cold: { ...cold, name: `${cold.name}, ${rounds} rounds` },
    baseline: { ...baseline, name: `${baseline.name} (${limits.length} runs of 2 s)` },
    verifiesPerSecond: verifies,
    limitRequestsPerSecond: Math.round(limit),
    ratio: cold.requestsPerSecond / limit,
    rounds: roundFigures,
    signatureUs: { idle: median(idle), underLoad: median(underLoad), samples: underLoad.length },
  }
}

// `desc` holds a comma of its own: match it whole.
const SIGNATURE_PART = /(?:^|,\s*)signature;desc="[^"]*";dur=([\d.]+)/

/** One GET /me at a time, each with a token the server has not seen, reading its Server-Timing. */
class SignatureSampler {
  #next = 0
  constructor(
    private readonly url: string,
    private readonly tokens: string[],
  ) {}

  get left(): number {
    return this.tokens.length - this.#next
  }

  /** Up to `count` samples, one every `spacingMs`, until `done()` or the tokens run out; µs each. */
  async take(count: number, done: () => boolean, spacingMs = 0): Promise<number[]> {
    const out: number[] = []
    while (out.length < count && this.#next < this.tokens.length && !done()) {
      const token = this.tokens[this.#next++]!
      const response = await fetch(`${this.url}/me`, { headers: { authorization: `Bearer ${token}` } })
      await response.arrayBuffer()
      const match = SIGNATURE_PART.exec(response.headers.get('server-timing') ?? '')
      if (response.status !== 200 || !match)
        throw new Error(`/me answered ${response.status} without a signature part`)
      out.push(Math.round(Number(match[1]) * 1000))
      if (spacingMs > 0) await new Promise((resolve) => setTimeout(resolve, spacingMs))
    }
    return out
  }
}
