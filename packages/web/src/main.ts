/**
 * @module Entry point: styles, the frame, the language, and the two routes.
 */
import './styles.css'
import { mountDebugger } from './debugger/view.js'
import { mountFlow } from './flow/view.js'
import { getLang, setLang } from './i18n/index.js'
import { startRouter } from './router.js'
import { mountShell } from './shell.js'

const root = document.getElementById('app')
if (root) {
  const outlet = mountShell(root)
  setLang(getLang())
  startRouter(outlet, [
    { path: '/', title: 'flow.title', mount: mountFlow },
    { path: '/debugger', title: 'debugger.title', mount: mountDebugger },
  ])
}
