/**
 * @module The command table: each command's name, one-line summary and a lazy loader, so `tessera jwt
 * decode` never loads the server (Fastify, SQLite) and starts in a few tens of milliseconds.
 */
import type { Command } from './args.js'

export interface Entry {
  name: string
  summary: string
  load: () => Promise<{ command: Command }>
}

export const COMMANDS: readonly Entry[] = [
  {
    name: 'serve',
    summary: 'run the auth server (SQLite under ./data by default)',
    load: () => import('./commands/serve.js'),
  },
  {
    name: 'compare',
    summary: 'measure sessions vs tokens against a running server',
    load: () => import('./commands/compare.js'),
  },
  {
    name: 'jwt decode',
    summary: 'show a token’s header and claims (no check)',
    load: () => import('./commands/jwt-decode.js'),
  },
  { name: 'jwt sign', summary: 'sign claims into a JWT', load: () => import('./commands/jwt-sign.js') },
  {
    name: 'jwt verify',
    summary: 'check a JWT (exit 0 valid, 1 invalid)',
    load: () => import('./commands/jwt-verify.js'),
  },
  {
    name: 'jwt encrypt',
    summary: 'encrypt claims or a token into a JWE',
    load: () => import('./commands/jwt-encrypt.js'),
  },
  { name: 'jwt decrypt', summary: 'decrypt a JWE', load: () => import('./commands/jwt-decrypt.js') },
  {
    name: 'keys generate',
    summary: 'make a key locally (JWK or PEM)',
    load: () => import('./commands/keys-generate.js'),
  },
  {
    name: 'keys rotate',
    summary: 'rotate a server’s signing keys',
    load: () => import('./commands/keys-rotate.js'),
  },
  {
    name: 'keys list',
    summary: 'list a server’s signing keys',
    load: () => import('./commands/keys-list.js'),
  },
  {
    name: 'keys export-jwks',
    summary: 'print a server’s public JWK Set',
    load: () => import('./commands/keys-export-jwks.js'),
  },
  {
    name: 'users add',
    summary: 'add a user to a server’s database',
    load: () => import('./commands/users-add.js'),
  },
  { name: 'users list', summary: 'list a server’s users', load: () => import('./commands/users-list.js') },
  {
    name: 'users disable',
    summary: 'disable a user and end their sessions',
    load: () => import('./commands/users-disable.js'),
  },
  {
    name: 'users enable',
    summary: 'let a disabled user log in again',
    load: () => import('./commands/users-enable.js'),
  },
  {
    name: 'users update',
    summary: 'change a user’s name or email',
    load: () => import('./commands/users-update.js'),
  },
  {
    name: 'clients add',
    summary: 'register an OpenID Connect client',
    load: () => import('./commands/clients-add.js'),
  },
  {
    name: 'clients list',
    summary: 'list the registered clients',
    load: () => import('./commands/clients-list.js'),
  },
  {
    name: 'clients remove',
    summary: 'unregister a client',
    load: () => import('./commands/clients-remove.js'),
  },
  {
    name: 'clients rotate-secret',
    summary: 'give a client a new secret',
    load: () => import('./commands/clients-rotate-secret.js'),
  },
]

/** What each command group is for, shown by `tessera <group> --help`. */
export const GROUPS: Readonly<Record<string, string>> = {
  jwt: 'decode, sign, verify, encrypt and decrypt tokens on this machine',
  keys: 'make keys locally, and rotate, list or export a server’s signing keys',
  users: 'add, list, update, disable and enable a server’s users',
  clients: 'register, list and remove a server’s OpenID Connect clients, and rotate their secrets',
}

/** The entry named by the first one or two words of argv, and how many words it used. */
export function findCommand(argv: readonly string[]): { entry: Entry; words: number } | undefined {
  const two = `${argv[0]} ${argv[1]}`
  const byTwo = COMMANDS.find((entry) => entry.name === two)
  if (byTwo) return { entry: byTwo, words: 2 }
  const byOne = COMMANDS.find((entry) => entry.name === argv[0])
  return byOne ? { entry: byOne, words: 1 } : undefined
}

/** The commands in a group ("jwt", "keys", "users"), for `tessera jwt` with no verb. */
export function groupCommands(group: string): Entry[] {
  return COMMANDS.filter((entry) => entry.name.startsWith(`${group} `))
}
