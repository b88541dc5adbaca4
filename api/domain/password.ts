import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Passwords are hashed with scrypt (memory-hard; RFC 7914), N = 2^15, r = 8, p = 1: 32 MiB and
 * about 100 ms per hash here. The parameters are stored with the hash, so they can be raised later.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32

function derive(password: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { ...o, maxmem: 128 * (o.N ?? 0) * (o.r ?? 0) * 2 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  )
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  const { N, r, p } = PARAMS
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  const salt = Buffer.from(parts[4] as string, 'base64url')
  const expected = Buffer.from(parts[5] as string, 'base64url')
  if (!(N > 1 && r > 0 && p > 0) || expected.length !== KEY_LENGTH) return false
  const key = await derive(password, salt, { N, r, p })
  return timingSafeEqual(key, expected)
}

let dummy: Promise<string> | undefined

/** A hash of a random password: what an unknown account is checked against, so timing says nothing. */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(16).toString('hex')))
}

/** Rules a person can follow: long enough, not absurdly long. */
export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 200
