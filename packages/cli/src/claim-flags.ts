/**
 * @module The claim flags `jwt sign` and `jwt encrypt` share (--exp, --iss, --aud…) on the way in, and
 * the claim-check flags `jwt verify` and `jwt decrypt` share on the way out, so both pairs agree.
 */
import type { ClaimOptions, JWTSignOptions } from '@tessera/jose'
import type { FlagTable, ParsedArgs } from './args.js'
import { booleanFlag, listFlag, stringFlag } from './args.js'
import { DURATION_FORMS, durationFlag } from './duration-flag.js'
import { dateValue } from './input.js'
import { note } from './output.js'

/** What a token's claims template takes from flags (everything but the algorithm and header). */
export type ClaimTemplate = Omit<JWTSignOptions, 'alg' | 'kid' | 'typ' | 'cty' | 'header'>

export const CLAIM_TEMPLATE_FLAGS: FlagTable = {
  exp: { type: 'string', value: 'DURATION', description: `expires after this long (${DURATION_FORMS})` },
  nbf: { type: 'string', value: 'DURATION', description: 'not valid before now plus this long (e.g. 30s)' },
  iss: { type: 'string', value: 'ISSUER', description: '"iss" claim' },
  aud: { type: 'string', value: 'AUD', description: '"aud" claim (comma-separated for several)' },
  sub: { type: 'string', value: 'SUBJECT', description: '"sub" claim' },
  jti: { type: 'boolean', description: 'add a random "jti"' },
  'no-iat': { type: 'boolean', description: 'leave out "iat"' },
  now: { type: 'string', value: 'DATE', description: 'as if it were this ISO date or epoch second' },
}

export function claimTemplate(args: ParsedArgs, claims: Record<string, unknown>): ClaimTemplate {
  const options: ClaimTemplate = {}
  const exp = durationFlag(args, 'exp')
  if (exp !== undefined) options.expiresIn = exp
  const nbf = durationFlag(args, 'nbf')
  if (nbf !== undefined) options.notBefore = nbf
  const iss = stringFlag(args, 'iss')
  if (iss) options.issuer = iss
  const aud = listFlag(args, 'aud')
  if (aud) options.audience = aud.length === 1 ? aud[0]! : aud
  const sub = stringFlag(args, 'sub')
  if (sub) options.subject = sub
  if (booleanFlag(args, 'jti')) options.jti = true
  if (booleanFlag(args, 'no-iat')) options.iat = false
  const now = dateValue(stringFlag(args, 'now'), 'now')
  if (now) options.currentDate = now
  if (exp === undefined && claims.exp === undefined) {
    note('warning: no --exp: this token never expires; add --exp 15m unless that is really what you want')
  }
  return options
}

export const CLAIM_CHECK_FLAGS: FlagTable = {
  iss: { type: 'string', value: 'ISSUER', description: 'required "iss" (comma-separated: any of them)' },
  aud: { type: 'string', value: 'AUD', description: 'required "aud" (comma-separated: any of them)' },
  sub: { type: 'string', value: 'SUBJECT', description: 'required "sub"' },
  typ: { type: 'string', value: 'TYP', description: 'required header "typ", e.g. at+jwt' },
  leeway: {
    type: 'string',
    value: 'DURATION',
    description: 'clock skew allowed for exp/nbf/iat, e.g. 30s (default 0s)',
  },
  'max-age': {
    type: 'string',
    value: 'DURATION',
    description: 'refuse tokens whose "iat" is older than this, e.g. 1h',
  },
  require: { type: 'string', value: 'CLAIMS', description: 'claims that must be present, e.g. exp,sub' },
  now: { type: 'string', value: 'DATE', description: 'check as if it were this ISO date or epoch second' },
}

export function claimChecks(args: ParsedArgs): ClaimOptions {
  const options: ClaimOptions = {}
  const iss = listFlag(args, 'iss')
  if (iss) options.issuer = iss
  const aud = listFlag(args, 'aud')
  if (aud) options.audience = aud
  const sub = stringFlag(args, 'sub')
  if (sub) options.subject = sub
  const typ = stringFlag(args, 'typ')
  if (typ) options.typ = typ
  const leeway = durationFlag(args, 'leeway')
  if (leeway !== undefined) options.clockTolerance = leeway
  const maxAge = durationFlag(args, 'max-age')
  if (maxAge !== undefined) options.maxTokenAge = maxAge
  const required = listFlag(args, 'require')
  if (required) options.requiredClaims = required
  const now = dateValue(stringFlag(args, 'now'), 'now')
  if (now) options.currentDate = now
  return options
}
