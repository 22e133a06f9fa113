/**
 * @module Undo steps for a load run (stop servers, drop schemas, remove worktrees), run newest first
 * once — at the end, after a failure, or on ctrl-C — so nothing is left running or lying around.
 */

interface Step {
  what: string
  run: () => Promise<void> | void
}

const steps: Step[] = []
let running: Promise<void> | undefined

async function runStep(step: Step): Promise<void> {
  try {
    await step.run()
  } catch (error) {
    process.stderr.write(`load: cleanup "${step.what}" failed: ${(error as Error).message}\n`)
  }
}

/**
 * Registers an undo step; the returned function runs it now (and only once), for things a run can
 * release early (a backend's servers once its rounds are done).
 */
export function onCleanup(what: string, run: () => Promise<void> | void): () => Promise<void> {
  const step: Step = { what, run }
  // Something started while cleaning up (a server whose start was under way at ctrl-C): undo it too.
  if (running) {
    void running.then(() => runStep(step))
    return async () => {}
  }
  steps.push(step)
  return async () => {
    const at = steps.indexOf(step)
    if (at === -1) return
    steps.splice(at, 1)
    await runStep(step)
  }
}

/** Whether the cleanup has begun (a signal, or the end of the run). */
export function cleaningUp(): boolean {
  return running !== undefined
}

/** Runs every registered step, newest first; concurrent calls share the one pass. */
export function cleanup(): Promise<void> {
  running ??= (async () => {
    for (let step = steps.pop(); step; step = steps.pop()) await runStep(step)
  })()
  return running
}

/** ctrl-C or SIGTERM: clean up, then exit 130. A second signal exits at once. */
export function cleanupOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nload: ${signal}, stopping servers and removing worktrees…\n`)
      for (const again of ['SIGINT', 'SIGTERM'] as const) process.once(again, () => process.exit(130))
      void cleanup().finally(() => process.exit(130))
    })
  }
}
