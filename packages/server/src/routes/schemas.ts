/**
 * @module JSON schemas shared by the routes. A response schema is an allow-list: Fastify serialises only
 * the fields it names, so a field added to a service result can never leak by accident.
 */
export const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string' },
    error_description: { type: 'string' },
    code: { type: 'string' },
  },
} as const

/** The error statuses a route can answer, all with the OAuth-style body. */
export const errorResponses = {
  '4xx': errorBody,
  '5xx': errorBody,
} as const

export const tokenResponse = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'scope'],
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer' },
    refresh_token: { type: 'string' },
    scope: { type: 'string' },
  },
} as const

export const credentialsBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 256 },
    // Long enough for any policy (the policy says "too long" with a clear message), short enough to bound work.
    password: { type: 'string', minLength: 1, maxLength: 1024 },
    client_id: { type: 'string', minLength: 1, maxLength: 128 },
    /** "cookie": the refresh token goes into an HttpOnly cookie instead of the body (browser apps). */
    refresh_token_delivery: { type: 'string', enum: ['body', 'cookie'] },
  },
} as const
