/**
 * @module The session-mode suite on SQLite: a real file in a fresh temp dir per server.
 */
import { sessionSuite } from './session-suite.js'

sessionSuite({
  name: 'sqlite',
  // startTestServer makes its own temp dir with a SQLite file; nothing more to choose or drop.
  async open() {
    return { overrides: {}, async cleanup() {} }
  },
})
