/**
 * @module English messages: every user-visible string of the pages. `{name}` marks a parameter.
 * The Korean catalogue (ko.ts) must have exactly the same keys (the type checker enforces it).
 */
export const en = {
  'app.title': 'Tessera',
  'nav.label': 'Pages',
  'nav.flow': 'Flow demo',
  'nav.debugger': 'JWT debugger',
  'nav.language': 'Language',
  'nav.skip': 'Skip to content',
  'footer.privacy':
    'Tessera pages load nothing from other sites: no fonts, no CDNs, no analytics. The debugger works offline.',

  'debugger.title': 'JWT debugger',
  'debugger.privacy':
    'No token leaves this page: decoding, verifying, signing and encryption all run here in your browser (WebCrypto). The only network request the debugger ever makes is to a JWKS URL you type yourself, and it sends no token.',
  'debugger.encoded': 'Encoded',
  'debugger.decoded': 'Decoded',
  'debugger.tokenLabel': 'Token (JWS or JWE, compact form)',
  'debugger.tokenHint': 'Paste a token. Spaces, line breaks and a "Bearer " prefix are ignored.',
  'debugger.placeholder': 'eyJhbGciOi…',
  'debugger.sample': 'Load a sample',
  'debugger.share': 'Copy share link',
  'debugger.clear': 'Clear',
  'debugger.partLength': '{part}: {n} characters',
  'share.copied':
    'Link copied. The token travels in the #fragment, which browsers never send to a server; still, anyone who has the link can read the token.',
  'share.inAddressBar':
    'The share link is in the address bar (copying was not allowed). The token is in the #fragment, never sent to a server.',

  'part.header': 'Header',
  'part.payload': 'Payload',
  'part.signature': 'Signature',
  'part.encryptedKey': 'Encrypted key',
  'part.iv': 'Initialization vector',
  'part.ciphertext': 'Ciphertext',
  'part.tag': 'Authentication tag',
  'part.extra': 'Extra part',

  'decoded.empty': 'Paste a token on the left, or load a sample, to see what it says.',
  'decoded.notAToken': 'This is not a token this page can read.',
  'decoded.headerMembers': 'Header parameters',
  'decoded.claims': 'Claims',
  'decoded.name': 'Name',
  'decoded.value': 'Value',
  'decoded.payloadBinary': '(the payload is not text)',
  'decoded.signatureNote': '{alg} signature, {bytes} bytes.',
  'decoded.jweNote':
    'This is an encrypted token (JWE): only its header can be read. Put the key in the key box and decrypt it below.',

  'claim.iss': 'Issuer: who created and signed the token (RFC 7519 §4.1.1).',
  'claim.sub': 'Subject: whom the token is about, usually a user id (RFC 7519 §4.1.2).',
  'claim.aud': 'Audience: the service(s) the token is meant for; others must refuse it (RFC 7519 §4.1.3).',
  'claim.exp': 'Expiration time: the token must not be accepted at or after this moment (RFC 7519 §4.1.4).',
  'claim.nbf': 'Not before: the token must not be accepted before this moment (RFC 7519 §4.1.5).',
  'claim.iat': 'Issued at: when the token was created (RFC 7519 §4.1.6).',
  'claim.jti': 'JWT ID: a unique id, so a token can be revoked or its replay detected (RFC 7519 §4.1.7).',
  'claim.client_id': 'Client ID: the application the token was issued to (RFC 9068 §2.2).',
  'claim.scope': 'Scope: the permissions granted, separated by spaces (RFC 8693 §4.2).',
  'claim.sid': 'Session ID: ties the token to a session or refresh-token family that can be revoked.',
  'claim.azp': 'Authorized party: the client the ID token was issued to (OpenID Connect Core §2).',
  'claim.auth_time': 'Authentication time: when the user last logged in (OpenID Connect Core §2).',
  'claim.nonce': 'Nonce: a value from the login request, to stop ID-token replay (OpenID Connect Core §2).',
  'claim.cnf': 'Confirmation: the key the token is bound to (proof of possession, RFC 7800).',
  'claim.act': 'Actor: who is acting on behalf of the subject (token exchange, RFC 8693 §4.1).',
  'claim.email':
    'E-mail address (OpenID Connect Core §5.1): personal data, readable by anyone holding the token.',
  'claim.name': 'Full name (OpenID Connect Core §5.1): personal data, readable by anyone holding the token.',

  'hdr.alg': 'Algorithm the token says it was signed or encrypted with. A verifier decides which it accepts.',
  'hdr.typ': 'Type of the token, e.g. "JWT" or "at+jwt" for an OAuth access token (RFC 9068).',
  'hdr.kid': 'Key ID: a hint which key to verify with, looked up in the verifier’s own key set.',
  'hdr.cty': 'Content type: "JWT" when the payload is itself a token (nested JWT).',
  'hdr.crit': 'Critical: extensions the verifier must understand, or reject the token.',
  'hdr.jku': 'JWK Set URL. A verifier must never fetch keys from a URL the token itself names.',
  'hdr.jwk': 'An embedded public key. A verifier must never trust a key the token carries itself.',
  'hdr.x5u': 'X.509 certificate URL. Untrusted unless checked against your own trust anchors.',
  'hdr.x5c': 'X.509 certificate chain. Untrusted unless checked against your own trust anchors.',
  'hdr.enc': 'Content encryption algorithm of a JWE.',
  'hdr.zip': 'Compression of the plaintext before encryption ("DEF").',
  'hdr.epk': 'Ephemeral public key of an ECDH-ES key agreement.',
  'hdr.p2c': 'PBES2 iteration count: how much work deriving the key from a password takes.',

  'time.expiresIn': 'expires in {span}',
  'time.expiredAgo': 'expired {span} ago',
  'time.validIn': 'valid in {span}',
  'time.validSince': 'valid since {span} ago',
  'time.issuedAgo': 'issued {span} ago',
  'time.issuedIn': 'issued in the future ({span} from now)',
  'unit.s': '{n} s',
  'unit.min': '{n} min',
  'unit.h': '{n} h',
  'unit.d': '{n} d',

  'level.danger': 'Danger:',
  'level.warning': 'Warning:',
  'level.info': 'Note:',
  'warn.algNone': 'alg is "none": the token is unsigned and anyone can forge it. Never accept it.',
  'warn.headerKey':
    'The header carries key material or a key URL ({params}). A verifier must choose keys itself, never from the token.',
  'warn.noExp': 'No exp claim: the token never expires, so a stolen copy works forever.',
  'warn.expMillis': 'exp looks like milliseconds; JWT times are seconds (the token may never expire).',
  'warn.longLifetime': 'Lifetime of {span}: more than a day. Keep access tokens short and refresh them.',
  'warn.sensitive':
    'Personal or secret-looking data in a token anyone can read ({claims}). Put an id in the token, not the data.',
  'warn.readable': 'The payload is encoded, not encrypted: anyone holding the token can read it.',
  'warn.rsa15':
    'RSA1_5 key management is open to padding-oracle attacks (RFC 8725 §3.2). Use RSA-OAEP-256 or ECDH-ES.',
  'warn.p2cHigh':
    'p2c is {count}: each decryption attempt costs that many hash rounds, a denial-of-service lever. Verifiers cap it (10,000 here).',
  'warn.p2cLow': 'p2c is only {count}: a key derived from a password this cheaply is easy to brute-force.',
  'warn.zip':
    'The plaintext was compressed before encryption: its length can leak its content (RFC 8725 §3.6).',
  'warn.secretKnown': 'This secret is well known (tutorials, defaults): attackers try it first.',
  'warn.secretShort':
    '{alg} needs a secret of at least {minimum} bytes; this one has {bytes}. It can be brute-forced offline.',
  'warn.secretRepetitive':
    'The secret repeats a few characters: it has far less randomness than its length suggests.',
  'warn.secretTyped':
    'A typed phrase has less randomness than its length. Prefer 32 random bytes (base64url).',

  'key.title': 'Key',
  'key.format': 'Key format',
  'key.format.secretText': 'Secret (text)',
  'key.format.secretB64': 'Secret (base64url)',
  'key.format.pem': 'PEM',
  'key.format.jwk': 'JWK or JWK Set',
  'key.format.jwksUrl': 'JWKS URL',
  'key.hint.secretText': 'The HMAC secret exactly as typed (UTF-8; spaces count).',
  'key.hint.secretB64': 'The HMAC or AES secret as base64url bytes.',
  'key.hint.pem': 'A public key (SPKI) or certificate to verify; a private key (PKCS#8) to sign or decrypt.',
  'key.hint.jwk': 'A JWK object, or a JWK Set {"keys": [...]}: the key is picked by the token’s kid.',
  'key.hint.jwksUrl':
    'Your choice: the page fetches this URL (no cookies, no referrer) to get the public keys. The token is not sent.',
  'key.placeholder.key': 'Key material',
  'key.label.hmacText': '{alg} secret (text, exactly as typed)',
  'key.label.hmacB64': '{alg} secret (base64url bytes)',
  'key.label.publicPem': '{alg} public key (PEM: SPKI or certificate)',
  'key.label.publicJwk': '{alg} public key (JWK or JWK Set)',
  'key.label.publicUrl': 'JWKS URL serving the {alg} public keys',
  'key.label.symmetricB64': 'Symmetric key for {alg} (base64url bytes)',
  'key.label.symmetricText': 'Symmetric key for {alg} (text)',
  'key.label.passwordText': 'Password for {alg}',
  'key.label.passwordB64': 'Password for {alg} (base64url bytes)',
  'key.label.privatePem': '{alg} private key (PEM, PKCS#8) to decrypt',
  'key.label.privateJwk': '{alg} private key (JWK) to decrypt',
  'key.hint.publicPem':
    'A public key (SPKI) or certificate verifies. To re-sign below, paste the private key (PKCS#8) instead.',
  'key.hint.publicJwk':
    'A public JWK, or a JWK Set {"keys": [...]} picked by the token’s kid. To re-sign, paste the private JWK.',
  'key.hint.password': 'The password exactly as typed; PBES2 stretches it into the key-wrapping key.',
  'key.hint.privatePem':
    'The recipient’s private key (PKCS#8) decrypts. To encrypt, the public key (SPKI) is enough.',
  'key.hint.privateJwk':
    'The recipient’s private JWK (with "d") decrypts. To encrypt, the public JWK is enough.',
  'key.placeholder.secretText': 'The shared secret, as text',
  'key.placeholder.secretB64': 'Secret bytes in base64url, e.g. 43 characters for 32 bytes',
  'key.placeholder.password': 'The password',
  'key.placeholder.publicPem': '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----',
  'key.placeholder.privatePem': '-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----',
  'key.placeholder.jwkRsa': '{"kty":"RSA","n":"…","e":"AQAB"}',
  'key.placeholder.jwkRsaPrivate': '{"kty":"RSA","n":"…","e":"AQAB","d":"…","p":"…","q":"…", …}',
  'key.placeholder.jwkEc': '{"kty":"EC","crv":"P-256","x":"…","y":"…"}',
  'key.placeholder.jwkEcPrivate': '{"kty":"EC","crv":"P-256","x":"…","y":"…","d":"…"}',
  'key.placeholder.jwkOkp': '{"kty":"OKP","crv":"Ed25519","x":"…"}',
  'key.placeholder.url': 'https://issuer.example/.well-known/jwks.json',

  'verify.title': 'Verify signature',
  'verify.alg': 'Algorithm you accept',
  'verify.algHint':
    'You choose the algorithm; the token’s header is only compared with it. That is what stops algorithm-confusion attacks.',
  'verify.button': 'Verify',
  'verify.valid': 'Signature verified with {alg}, and the time claims (exp, nbf) are in range.',

  'trust.unverified': 'Nothing above is trusted until the signature is verified with a key (below).',
  'trust.verifiedTitle': '✓ Verified.',
  'trust.verified':
    'The signature checks out with {alg} and {key}: the header and claims above are what the holder of that key signed.',
  'trust.thumbprint': '(JWK thumbprint {thumbprint})',
  'trust.key.secretText': 'the text secret in the key box ({bytes} bytes)',
  'trust.key.secretB64': 'the base64url secret in the key box ({bytes} bytes)',
  'trust.key.pem': 'the {shape} public key from the PEM in the key box',
  'trust.key.jwk': 'the {shape} JWK{kid} in the key box',
  'trust.key.jwkSet': 'the {shape} key{kid} from the JWK Set in the key box',
  'trust.key.jwksUrl': 'the {shape} key{kid} served by {url}',
  'trust.shortSecret':
    'This secret is too short to be safe: {alg} needs at least {minimum} bytes and this one has {bytes}. A secret this short can be guessed offline from any one token, so anyone may have signed this. It is verified here so you can inspect such tokens; the page will not sign with it. Replace it with {minimum} random bytes.',
  'shape.rsa': 'RSA {bits}-bit',
  'shape.ec': 'EC {crv}',
  'shape.okp': '{crv}',

  'resign.title': 'Edit and re-sign',
  'resign.hint':
    'Change the header or payload and sign them exactly as written with the key above and the header’s alg. The new token replaces the one in the token box.',
  'resign.header': 'Header (JSON)',
  'resign.payload': 'Payload (JSON)',
  'resign.button': 'Sign',
  'resign.generate': 'Generate a random secret',
  'resign.done': 'Signed with {alg}. The new token is in the token box.',
  'resign.generated': 'A random {bytes}-byte secret for {alg} is in the key box.',

  'jwe.title': 'Encrypted tokens (JWE)',
  'jwe.hint':
    'Decrypt a JWE in the token box with the key above, or encrypt a plaintext (by default the token above, as a nested JWT). Secrets for dir, AES key wrap and PBES2; RSA or EC keys for RSA-OAEP and ECDH-ES.',
  'jwe.alg': 'Key management (alg)',
  'jwe.enc': 'Content encryption (enc)',
  'jwe.decrypt': 'Decrypt',
  'jwe.plaintext': 'Plaintext to encrypt',
  'jwe.encrypt': 'Encrypt',
  'jwe.decrypted': 'Decrypted ({alg}, {enc}). The plaintext:',
  'jwe.openInner': 'Inspect the inner token',
  'jwe.encrypted': 'Encrypted with {alg} and {enc}. The JWE is in the token box.',

  'result.ok': 'Valid.',
  'result.done': 'Done.',
  'result.failed': 'Failed.',
  'result.busy': 'Working…',
  'result.detail': 'Technical detail',

  'err.signature':
    'The signature does not match: the token was changed, or it was signed with a different key.',
  'err.expired': 'The signature is valid, but the token has expired (its exp is in the past).',
  'err.claim': 'The signature is valid, but the "{claim}" claim fails its check ({reason}).',
  'err.algNotAllowed':
    'The token’s algorithm is not the one you accept (or not the one the key is bound to).',
  'err.notSupported': 'This algorithm is unknown, or this browser’s WebCrypto cannot run it.',
  'err.optionInvalid': 'An option is malformed.',
  'err.tooLarge': 'The token is too large to process.',
  'err.crit': 'The token marks an extension as critical that this verifier does not understand.',
  'err.jwsInvalid':
    'The token is malformed: check that all of it was copied (three base64url parts for a JWS).',
  'err.jwtInvalid': 'The payload is not a valid JWT claims set (a JSON object).',
  'err.jwkInvalid': 'The JWK is malformed or does not describe a usable key.',
  'err.pemInvalid': 'The PEM is malformed, or is not a public key, private key or certificate.',
  'err.keyInput': 'What is in the key box is not a usable key.',
  'err.keyAlgMismatch':
    'The key does not fit the algorithm (wrong key type or curve, or bound to another alg).',
  'err.keyTooWeak':
    'The key is too weak for this algorithm (an HMAC secret shorter than the hash, or RSA under 2048 bits).',
  'err.keyUsage':
    'The key may not be used for this (its use/key_ops forbid it, or signing needs the private key).',
  'err.jweInvalid': 'The JWE is malformed: check that all five parts were copied.',
  'err.decryptionFailed': 'Decryption failed: the key is wrong, or the token was altered.',
  'err.decompression': 'The JWE inflates past the size limit when decompressed (a zip-bomb defence).',
  'err.pbes2Count':
    'The JWE asks for more PBES2 iterations (p2c) than allowed: refused, as a denial-of-service defence.',
  'err.jwksMultiple':
    'Several keys in the set match the token and none verified it. Tokens should carry a kid.',
  'err.keyRing': 'The key ring is malformed.',
  'err.jwksInvalid': 'The key set is malformed (expected {"keys": [...]}).',
  'err.jwksNoKey': 'No key in the set matches the token (its kid and alg).',
  'err.jwksFetch':
    'The JWKS URL could not be fetched (network error, HTTP error, or the server does not allow CORS).',
  'err.jwksTimeout': 'The JWKS URL took too long to answer.',
  'err.dpopProof':
    'The DPoP proof fails a check of RFC 9449 (its type, key, signature, method, URL, age or token hash).',
  'err.dpopNonce': 'The DPoP proof lacks the nonce the server asked for, or carries a stale one.',
  'err.dpopReplayed': 'This DPoP proof was already used: a proof is good for one request only.',
  'err.noToken': 'Paste a token first.',
  'err.notJws': 'This is not a signed token (JWS); there is no signature to verify.',
  'err.notJwe': 'This is not an encrypted token (JWE); there is nothing to decrypt.',
  'err.keyEmpty': 'The key box is empty.',
  'err.keyJson': 'The key box does not hold a JSON object (a JWK or a JWK Set).',
  'err.base64url': 'The secret is not valid base64url (letters, digits, "-" and "_", no padding).',
  'err.algNone':
    'An unsecured token (alg "none") has no signature: there is nothing to verify, and nothing to sign.',
  'err.jwksUrl': 'Enter a full http:// or https:// URL.',
  'err.headerJson': 'The header is not a JSON object.',
  'err.payloadJson': 'The payload is not a JSON object.',
  'err.algMissing': 'The header needs an "alg" (HS256, HS384 or HS512 to generate a secret).',
  'err.jwksVerifyOnly':
    'A JWKS URL holds public keys: it can only verify. To sign, decrypt or encrypt, paste a key.',
  'err.needOneKey': 'Signing and encrypting need one key: paste a single JWK, not a set.',
  'err.unknown': 'Unexpected error ({code}).',

  'flow.title': 'Login flow demo',
  'flow.intro':
    'Log in as the demo user and watch token authentication happen: the request, the tokens, a protected call, expiry, the silent refresh, a stolen refresh token, and the family revoked. Then the same with a server session, and the measured comparison.',
  'flow.loginTitle': 'Demo user',
  'flow.username': 'Username',
  'flow.password': 'Password',
  'flow.passwordHint':
    'The server prints the demo user’s password when it starts (outside production mode). It is sent only to this server.',
  'flow.runToken': 'Run the token flow',
  'flow.runSession': 'Run the session flow',
  'flow.tokenMode': 'Token mode',
  'flow.tokenModeHint': 'Access token (short-lived JWT) + refresh token (opaque, rotated, single use).',
  'flow.sessionMode': 'Session mode',
  'flow.sessionModeHint': 'A server-side session behind an HttpOnly cookie.',
  'sso.title': 'Single sign-on (OpenID Connect)',
  'sso.hint':
    'This page signs in through the real provider as its own public client (PKCE, no secret). The provider asks for the password once; Notes and Photos, two apps on two other sites, then sign in without it, and a logout here reaches them: Notes over the back channel, Photos at its next call to its API (which reads the revocation feed).',
  'sso.start': 'Sign in with Tessera',
  'sso.unavailable':
    'Not available on this server: the single-sign-on demo is served in development only (npm start).',
  'sso.noApps': 'No demo apps are registered on this server (start it with npm start).',
  'sso.confidential': 'confidential client (openid-client, server side)',
  'sso.public': 'public single-page app (@tessera/client: PKCE, DPoP, tokens in memory)',
  'sso.tabsTitle': 'Two Photos tabs, one refresh',
  'sso.tabsHint':
    'Photos is a single-page app on @tessera/client: each tab keeps its tokens in memory. Open it twice (press the button twice). When the tokens are due, one tab refreshes under a Web Lock and hands the new tokens to the other over BroadcastChannel: one refresh request for both, never a replayed refresh token. Sign in at Photos first.',
  'sso.tabsOpen': 'Open a Photos tab',
  'sso.tabsNone': 'No Photos tab opened from this page yet.',
  'sso.tabsTab': 'Tab',
  'sso.tabsState': 'State',
  'sso.tabsExpires': 'Access token expires',
  'sso.tabsRefreshedCount': 'Refreshes it made',
  'sso.tabsReceivedCount': 'Tokens it was handed',
  'sso.tabsSignedIn': 'signed in',
  'sso.tabsSignedOut': 'signed out',
  'sso.tabsSummary':
    '{refreshes} refresh request(s) between {tabs} tab(s); {handed} hand-over(s) over BroadcastChannel.',
  'sso.tabsRefreshed': '{time} {tab} refreshed the tokens (it held the lock).',
  'sso.tabsReceived': '{time} {tab} took the new tokens from the other tab, with no request of its own.',
  'sso.backchannel': 'told of logouts over the back channel',
  'sso.loopbackHint':
    'The provider accepts this page as a redirect URI on a loopback IP only (RFC 8252 §7.3): open it at',
  'sso.discovery': 'Discovery',
  'sso.discoveryText': 'The provider describes itself: issuer {issuer}, its endpoints and what it supports.',
  'sso.request': 'Authorization request',
  'sso.requestText':
    'The browser went to /authorize as client {client}, to come back to {redirect}: a fresh state (against CSRF), a nonce (bound into the ID token) and a PKCE challenge, the SHA-256 of a verifier that never left this page.',
  'sso.redirect': 'Redirect back with the code',
  'sso.redirectText':
    'The provider sent the browser back with code {code} (single use, a minute at most) and iss {iss} (RFC 9207: no mix-up with another provider); the state matches the one sent.',
  'sso.redirectMismatch':
    'The redirect does not match the request (state or iss differs): the code {code} from {iss} is not used.',
  'sso.redirectError': 'The provider refused: {error} {description}',
  'sso.token': 'Token request',
  'sso.tokenText':
    'The page redeemed the code at the token endpoint with the PKCE verifier, as a public client (no secret). Cache-Control: no-store.',
  'sso.tokenFailed': 'The token endpoint refused the code ({error}).',
  'sso.accessToken': 'Access token (RFC 9068 JWT)',
  'sso.idToken': 'ID token, verified',
  'sso.idTokenLabel': 'ID token',
  'sso.idTokenText':
    'Signature checked with the provider JWKS ({alg}, kid {kid}); iss and aud checked; the nonce {nonce} is the one this page sent; at_hash matches the access token.',
  'sso.idTokenMismatch':
    'The signature holds ({alg}, kid {kid}), but the nonce {nonce} or at_hash does not match what this page holds: the token is refused.',
  'sso.idTokenInvalid': 'The ID token is refused ({error}).',
  'sso.session': 'The provider session',
  'sso.sessionText':
    'The provider session sid {sid} ({matches} the ID token sid), password proven at {authTime}. Clients signed in under it: {clients}. Open Notes or Photos above: they sign in without a password. Then check again.',
  'sso.sessionSilent':
    'Signed in again without a password: same sid {sid}, same auth_time {authTime}. Clients under this session: {clients}. Other apps: {others}.',
  'sso.sessionNew': 'A new sign-in: sid {sid}, password proven at {authTime}. Clients: {clients}.',
  'sso.sessionExisting':
    'This browser already holds a provider session: sid {sid}, password proven at {authTime}, clients signed in under it: {clients}. Signing in here asks for no password.',
  'sso.originMismatch':
    'The provider is {issuer}, another origin than this page: open the page there, so that the redirect comes back to it and the token request stays on the same origin.',
  'sso.noSession': 'No provider session on this browser (signed out).',
  'sso.refresh': 'Check the session again',
  'sso.silent': 'Sign in again (prompt=none)',
  'sso.logout': 'Sign out everywhere',
  'sso.logoutStep': 'Logout',
  'sso.logoutText':
    'The provider session ended (HTTP {status}): its refresh tokens are revoked and a signed logout token is sent to every app signed in under it with a back-channel URI: {clients}.',
  'sso.after': 'After the logout',
  'sso.afterText':
    'The provider has no session for this browser any more. {clients} got the logout token server to server: reload it, it is signed out without the browser ever visiting it.',
  'sso.afterStill': 'The provider still reports a session: the logout did not end it ({clients}).',
  'flow.notStarted': 'Not run yet.',
  'flow.response': 'Response:',
  'flow.networkError': 'no response (network error)',
  'flow.accessToken': 'Access token',
  'flow.refreshToken': 'Refresh token',
  'flow.opaque': 'Opaque: random bytes that mean something only to the server (stored there as a hash).',
  'flow.undecodable': 'Not a readable JWT.',
  'flow.unavailable': 'Not available on this server ({path} does not exist here).',
  'flow.loginFailed': 'Login refused ({error}). Check the password the server printed.',
  'state.done': '✓ Done',
  'state.failed': '✗ Failed',
  'state.waiting': '… Waiting',
  'state.refused': '⊘ Refused',
  'state.unavailable': '— Not available',
  'state.info': 'ℹ',

  'flow.token.login': 'Login request',
  'flow.token.loginText':
    'POST /auth/login with the username and password; the server answers with a token pair.',
  'flow.token.tokens': 'Tokens received',
  'flow.token.tokensText':
    'The access token is a signed JWT that any service can verify with the public keys (JWKS); it lives {lifetime}. The refresh token gets new pairs.',
  'flow.token.me': 'Call /me with the access token',
  'flow.token.meAgain': 'Call /me with the expired access token',
  'flow.token.meOk':
    'HTTP {status}: the server verified the signature and the claims and checked its revocation set in memory, with no session lookup (its Server-Timing says so).',
  'flow.token.meOkLookup':
    'HTTP {status}: the server verified the signature and the claims, then looked the token’s session up in its store (its Server-Timing says so).',
  'flow.token.meOkPlain': 'HTTP {status}: the server verified the signature and the claims.',
  'flow.token.meLeeway':
    'HTTP {status}: the server still accepts the token for a little while after exp (its clock-skew leeway, --clock-skew).',
  'flow.token.meRefused': 'HTTP {status}: the access token was refused.',
  'flow.token.expiry': 'Access token expiry',
  'flow.token.expiryWait': 'The access token is short-lived in demo mode: waiting for it to expire.',
  'flow.token.expiryLong':
    'The access token lives for a while. A client refreshes just before expiry; skip the wait to see it.',
  'flow.token.expiredNow': 'expired',
  'flow.token.skip': 'Skip the wait: refresh now',
  'flow.token.expired': 'The access token has expired.',
  'flow.token.skipped': 'Wait skipped: the client refreshes before the access token expires.',
  'flow.token.refresh': 'Silent refresh',
  'flow.token.refreshAgain': 'The legitimate client refreshes again',
  'flow.token.refreshText':
    'POST /auth/refresh: the old refresh token is consumed (single use) and a new pair issued in the same family.',
  'flow.token.refreshFailed': 'The refresh was refused ({error}).',
  'flow.token.theftButton': 'Simulate theft: replay the first refresh token',
  'flow.token.grace': 'Replay inside the grace window',
  'flow.token.graceText':
    'The replay came seconds after the rotation, from the same client: the server takes it for a double-click or a second tab and returns the same successor. No false alarm.',
  'flow.token.theft': 'Stolen refresh token replayed',
  'flow.token.theftText':
    'An attacker presented a refresh token that was already used ({error}). Reuse means theft: the server revokes the whole token family.',
  'flow.token.theftAccepted': 'The server accepted a used refresh token. It should have detected the reuse.',
  'flow.token.revoked': 'Family revoked',
  'flow.token.revokedText':
    'The legitimate client’s newest refresh token is refused too (HTTP {refresh}): everyone must log in again, and the thief is locked out.',
  'flow.token.notRevoked':
    'The newest refresh token still works (HTTP {refresh}): the family was not revoked.',
  'flow.token.revokedMe': 'Access token of the revoked family',
  'flow.token.revokedMeText':
    'The auth server’s own /me answers HTTP {status}. Services that verify access tokens locally keep accepting them until exp: that is why access tokens are short.',

  'flow.session.login': 'Session login',
  'flow.session.cookieHidden':
    'POST /session/login: the server created a session and set it in an HttpOnly cookie. This page’s script cannot read it (document.cookie is unchanged), so XSS cannot steal it.',
  'flow.session.cookieVisible': 'The session cookie is visible to scripts: it should be HttpOnly.',
  'flow.session.me': 'Call /session/me with the cookie',
  'flow.session.meText':
    'HTTP {status}: the browser sent the cookie; the server looked the session up in its store.',
  'flow.session.logout': 'Logout',
  'flow.session.logoutText': 'HTTP {status}: the server deleted the session and cleared the cookie.',
  'flow.session.after': 'Call /session/me after logout',
  'flow.session.afterText':
    'HTTP {status}: the session is gone on the server; revocation takes effect at once.',
  'flow.session.afterUnexpected': 'HTTP {status}: expected 401 after logout.',

  'compare.title': 'Sessions vs tokens, measured',
  'compare.hint': 'The last report of `tessera compare` kept by this server (GET /api/compare).',
  'compare.reload': 'Reload the report',
  'compare.loading': 'Loading the report…',
  'compare.unavailable':
    'Not available on this server: it has no /api/compare report. Run `tessera compare` against it.',
  'compare.pending': 'The server is still measuring (HTTP {status}). Reload in a few seconds.',
  'compare.error': 'The report could not be read (HTTP {status}).',
  'compare.caption': 'Token mode and session mode, figure by figure (units in the names)',
  'compare.figure': 'Figure',
  'compare.token': 'Tokens',
  'compare.session': 'Sessions',
  'compare.notes': 'Notes from the measurement',
  'compare.notMeasured': 'not measured',
  'compare.notMeasuredWhy': 'Not measured: {why}',
  'compare.measured': 'Measured {when}: {seconds} s per mode, {connections} connections.',
  'compare.measuredUrl': 'Measured {when} against {url}: {seconds} s per mode, {connections} connections.',
  'compare.field.access_token_lifetime_seconds': 'Access token lifetime (s)',
  'compare.field.signature_check_microseconds': 'Signature check per request (µs)',
  'compare.field.signature_alg': 'Signature algorithm',
  'compare.field.second_instance_needs': 'To add an instance, it needs',
  'compare.field.credential': 'Credential sent with each request',
  'compare.field.credential_bytes_per_request': 'Credential bytes per request (whole header line)',
  'compare.field.credential_value_bytes': 'Credential size (bytes): access token vs session id',
  'compare.field.server_work_microseconds_per_request': 'Server work per request (µs, median)',
  'compare.field.requests': 'Requests',
  'compare.field.errors': 'Errors',
  'compare.field.requests_per_second': 'Requests per second',
  'compare.field.latency_p50_ms': 'Latency p50 (ms)',
  'compare.field.latency_p99_ms': 'Latency p99 (ms)',
  'compare.field.duration_seconds': 'Load duration (s)',
  'compare.field.revocation': 'When a logout takes effect',
  'compare.chartTitle': 'Tokens vs sessions',
  'compare.chartDesc': 'One pair of bars per numeric figure; each pair is drawn on its own scale.',
  'compare.verdictTitle': 'Which wins where, and why',
  'compare.verdict.size':
    'Size: sessions. A cookie costs {session} B per request, an access token {token} B — {ratio}× as much, on every request.',
  'compare.verdict.workTokens':
    'Per-request work: tokens. The issuer spends {token} µs on a token ({parts}), with no session lookup; the session lookup costs {session} µs.',
  'compare.verdict.workTokensLookup':
    'Per-request work: tokens ({token} µs against {session} µs), although this issuer still reads its store for each token ({parts}).',
  'compare.verdict.workSessions':
    'Per-request work: sessions on this server. The session lookup takes {session} µs; the issuer spends {token} µs on a token ({parts}).',
  'compare.verdict.throughputTokens':
    'Requests per second: tokens. The token check at the issuer answered {token} req/s, the session lookup {session} ({ratio}×); a resource server checking the signature with the JWKS alone answered {resource}.',
  'compare.verdict.throughputSessions':
    'Requests per second: sessions on this run. The session lookup answered {session} req/s, the token check at the issuer {token} ({ratio}×); a resource server checking the signature with the JWKS alone answered {resource}.',
  'compare.verdict.scaleTokens':
    'Scale-out: tokens. Another instance needs only the JWKS (and, for instant revocation, the revocation feed); every session request needs the shared session store. Measured on {instances} instance(s).',
  'compare.verdict.scaleTie':
    'Scale-out: no winner here. This issuer reads its store for each token too, so both modes need the shared store on every request. Measured on {instances} instance(s).',
  'compare.verdict.revocationFeed':
    'Instant revocation: sessions, unless the feed is on — and here it is. A logout ended the session in {session} ms; the issuer, following the revocation feed, refused the token after {token} ms. A resource server verifying alone still accepts it until it expires (up to {lifetime} s) unless it follows the feed too.',
  'compare.verdict.revocationStore':
    'Instant revocation: sessions. A logout is refused wherever the session store is read ({session} ms here); this issuer refused the token after {token} ms because it looks the session up, but a resource server verifying alone accepts it until it expires (up to {lifetime} s).',
  'compare.throughputTitle':
    'Requests per second: session lookup, token check at the issuer, resource server with the JWKS',
  'compare.throughputDesc': 'One bar per check, all on one scale, with p50 / p99 latency beside each.',
  'compare.bar.session': 'Session lookup (/session/me)',
  'compare.bar.token': 'Token check at the issuer (/me)',
  'compare.bar.resource': 'Resource server with the JWKS',
  'compare.field.server_work_parts': 'What the server did per request (Server-Timing)',
  'compare.field.store_lookup_per_request': 'Store read per request',
  'compare.field.revocation_refused_after_ms': 'Logout to refusal on the last instance (ms)',
  'compare.field.resource_server_requests_per_second': 'Resource server with the JWKS (req/s)',
  'compare.yes': 'yes',
  'compare.no': 'no',
} as const

export type MessageKey = keyof typeof en
