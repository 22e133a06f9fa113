/**
 * @module The `aud` of a client's access token (RFC 8707): the resource it names when that is a
 * registered resource indicator (`--resource`), else the configured audience. An unregistered resource
 * is `invalid_target`, never silently widened to the default.
 */
import { TargetInvalid } from '../../errors.js'

export function audienceFor(
  resource: string | null | undefined,
  resources: readonly string[],
): string | undefined {
  if (resource === undefined || resource === null) return undefined
  if (!resources.includes(resource))
    throw new TargetInvalid('resource names no resource registered on this server (--resource)')
  return resource
}
