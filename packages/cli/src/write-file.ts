/**
 * @module Writing key material to disk: owner-only permissions (0600), and no silent overwrite of a
 * key someone may still depend on.
 */
import { writeFile } from 'node:fs/promises'
import { CliInputError } from './errors.js'

export async function writeSecretFile(path: string, text: string, overwrite: boolean): Promise<void> {
  try {
    await writeFile(path, text.endsWith('\n') ? text : `${text}\n`, {
      mode: 0o600,
      flag: overwrite ? 'w' : 'wx',
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new CliInputError(
      code === 'EEXIST'
        ? `"${path}" already exists; pass --force to replace it (anything signed with the old key stops verifying)`
        : `cannot write "${path}" (${code ?? 'write error'}); check the directory exists and is writable`,
    )
  }
}
