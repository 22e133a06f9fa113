/**
 * @module The last comparison report, kept in memory for `GET /api/compare` (the web page's table), and
 * the one run in flight: concurrent callers share it instead of loading the server twice.
 */
import type { ComparisonReport } from './report.js'

export class LastReport {
  #report: ComparisonReport | undefined
  #running: Promise<ComparisonReport> | undefined

  get(): ComparisonReport | undefined {
    return this.#report
  }

  /** Runs `measure` unless a run is already in flight; keeps its result as the last report. */
  run(measure: () => Promise<ComparisonReport>): Promise<ComparisonReport> {
    this.#running ??= measure().then(
      (report) => {
        this.#report = report
        this.#running = undefined
        return report
      },
      (error: unknown) => {
        this.#running = undefined
        throw error
      },
    )
    return this.#running
  }
}
