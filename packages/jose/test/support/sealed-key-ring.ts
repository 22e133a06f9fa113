/**
 * @module A key ring sealed by the hand-written WebCrypto seal (src/jwks/seal.ts at commit 66fad64, before
 * sealing moved onto compactEncrypt), so a test shows that rings stored by that release still open.
 *
 * Made with: createKeyRing({ alg: "ES256", iterations: 10_000, clock: () => Date.UTC(2026, 11, 3) }) from
 * src/node.ts, then ring.serialize(SEALED_RING_SECRET); keys() and jwks() recorded beside it. Test data only.
 */
import type { JWKSet, KeyRingEntryInfo } from '../../src/node.ts'

export const SEALED_RING_SECRET = 'fixture secret: sealed before seal.ts moved to compactEncrypt'

export const SEALED_RING =
  'eyJhbGciOiJQQkVTMi1IUzUxMitBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGVzc2VyYS1rZXlyaW5nK2pzb24iLCJwMnMiOiJybG9QR3dtQVJMX0tndUFWMTJWQ2JnIiwicDJjIjoxMDAwMH0.rMha0LKbgnEA3jo9mVy9DqbnS0Dh_LfYsGt83OXnrSJjQS_73E3jig.Y1ahqGQc256KyWus.WZAerfTIY-l4aDzgLA0a1EoH0zWBcuxxj-2bLkyUkcqy0UDTAShitocOERZL8thhX4w-Cn9MOeswZNE2o3AD5dtDxfrJMHm2eSc2Lqt3BBbsqwMEwEQAOC_LZhuKTAZWyO60UNS0HkNNZMcbCVcR5Ju30CHxgmMTXXK1QXNDuAG6g29AX3cS5q_QX8lHYwM5JW5kv4ChHZgEyBbafLM6kucvGe8vyndE9cGhYiclW0H3uH-lEr1HHtILslqDO0DQaqMxPQWNTTRT1ggLutjyHII0_JrdeF9ZXmQwT-ECYLR9yxbTwcJEpw5pmXSWRWZmdoFxYMTQc8achjKsUV_pXV4vUElAZxGn2X4hX7uvJQChLCyjHMjDVUlO2yBVc2epOL1Cg0lMjmWTI4_haMoi8f594Gudt-AEgq8FLn6tV2tbGkVfCuokYF7SB84aVrMku96sO56Ruu-Yl6fneeAKRd313xB3yTnWRq651CB5dPhgQQuT5k4M5zYoU4GhlVSVAKjaLSRFoQRChXab2HOXc5MxOhplcQbSK9fDGTN9NXrpJ83r5-dH-2EARVT8iLdYf_ae26L0SDpITbZE1ov9kYh0gemKOE4-ahWYElkFgUEN1erOFrRfspbflOaiiukDmGzccPjXM-BjCPfYYWZOCHdBsVWOZKAtzf1kZ5C2zBOcgjrkx6IirZ2Oc3L0Hy7D6Ajs52_xK_MYmHxxg6GwPDAHY5tXMwbkUdqGwL-qJqD0hUBWXaysibJ2U_Ot2AKstRxeaADe0vXvW5ZfGKztAd1hN6d_eCKINoqnkHcP8dHBz-qR3ONWNzAFIrkwl5WYR1oSrD_fFh4tG5OQ80vNFNFww0gXmBOqxDlEfuUAOjJymDEH_x2hyedwew4ihVThl99Fg4Hp2FUaHb6mfO3WNx4CDNINvX4Px9G2yTfgiQXJ3HIRAKWYIC6kzMP6FqJ5AS1QqSms41NxC9j38IlzGIStx6gytDgaZnTNKv6MCBzJvUVJNXKjSY7MdoT7QNj4A6-yxx-5hiQ-UKhZWw8bLvzCZFnJ4CesjkmJqvteNtwVc1sSZzs.evlLkXUAqf4Cg5-63ASqDQ'

export const SEALED_RING_KEYS: KeyRingEntryInfo[] = [
  {
    kid: 'tprFDo8uc_-XS6X97vLFzuR81teAFbNX9sjtv3MVYIo',
    state: 'current',
    alg: 'ES256',
    createdAt: 1796256000000,
    activatedAt: 1796256000000,
  },
  {
    kid: 'VU1uGxWUdGFydfTDS5bKGOdYWI993rNA2s3i8-92DiY',
    state: 'next',
    alg: 'ES256',
    createdAt: 1796256000000,
  },
]

export const SEALED_RING_JWKS: JWKSet = {
  keys: [
    {
      kty: 'EC',
      crv: 'P-256',
      x: 'ClbI6R5K_Axuu7CdPn_12y6XyzVSfIT30ajF7amVuBc',
      y: 'XQui_LOdWMjWmCZDRWo3K3s4mqpz-ZtrNvBboEHIi94',
      kid: 'tprFDo8uc_-XS6X97vLFzuR81teAFbNX9sjtv3MVYIo',
      alg: 'ES256',
      use: 'sig',
    },
    {
      kty: 'EC',
      crv: 'P-256',
      x: '-HUxgs1wovDNxH_9ob8Ig1TmJ0q6QDSVEPQ3zh-i8pM',
      y: 'KRniEeFkOEAReWXWFKC3oYNyRMJmw7prAPTvR4myEtc',
      kid: 'VU1uGxWUdGFydfTDS5bKGOdYWI993rNA2s3i8-92DiY',
      alg: 'ES256',
      use: 'sig',
    },
  ],
}
