/**
 * @module Every setting of the server, read once from defaults ← `TESSERA_*` environment ← flags (or the
 * overrides a program passes), validated, and printable with secrets masked. Production mode refuses
 * unsafe settings with a message naming the setting (`ConfigInvalid.setting`). The parts live in config/.
 */
export { defaultConfig } from './config/defaults.js'
export { describeConfig, settingsHelp } from './config/describe.js'
export { loadConfig, parseServeArgs } from './config/flags.js'
export { envName } from './config/settings.js'
export type { ClientCredential, ServerConfig, SigningAlg } from './config/types.js'
export { isLoopback, validateConfig } from './config/validate.js'
