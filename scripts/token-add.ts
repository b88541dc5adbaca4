import { parseArgs } from 'node:util'
import { isRole, ROLES, userActor } from '../api/domain/roles.js'
import { findUserByEmail } from '../api/repositories/users.js'
import { systemClock } from '../api/services/assets.js'
import { createAuth } from '../api/services/auth.js'
import { fail, openForScript, runScript } from './cli.js'

const usage = `Usage: npm run token:add -- --email ADDRESS --name "WHAT IT IS FOR" [--role ${ROLES.join('|')}] [--days N]

Makes an API token for scripts and imports, owned by an existing account; its role is at most
the owner's (default: the owner's). It lives N days, at most and by default
BUURTKAART_TOKEN_MAX_DAYS (365 unless configured). The token is printed once, with its expiry;
only its hash is stored. Use it as "Authorization: Bearer <token>"; revoke it with
DELETE /api/tokens/<id>.`

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    days: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help || !values.email || !values.name) fail(usage)
if (values.role !== undefined && !isRole(values.role))
  fail(`--role must be one of ${ROLES.join(', ')}`)
const role = values.role !== undefined && isRole(values.role) ? values.role : undefined
if (values.days !== undefined && !/^[1-9]\d*$/.test(values.days))
  fail('--days must be a whole number of days, 1 or more')
const days = values.days === undefined ? undefined : Number(values.days)

const { config, handle } = await openForScript()
await runScript(
  () => handle.close(),
  async () => {
    const owner = await findUserByEmail(handle.db, values.email as string)
    if (!owner || owner.deleted_at || owner.disabled_at) fail(`No active account ${values.email}.`)
    const { password_hash: _hash, ...user } = owner
    const auth = createAuth({
      db: handle.db,
      clock: systemClock,
      tokenMaxDays: config.tokenMaxDays,
    })
    const { token, secret } = await auth.createToken(
      user,
      { name: values.name as string, role, expires_in_days: days },
      userActor(user.id),
    )
    console.error(
      `Token "${token.name}" (${token.role}, id ${token.id}), valid until ${token.expires_at}. Shown once; keep it safe:`,
    )
    console.log(secret)
  },
)
