/**
 * @module The demo user's credentials as the login form holds them.
 */
export interface Credentials {
  username: string
  password: string
}
