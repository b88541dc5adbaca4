import { parseArgs } from 'node:util'
import { isRole, ROLES, userActor } from '../api/domain/roles.js'
import { findUserByEmail } from '../api/repositories/users.js'
import { systemClock } from '../api/services/assets.js'
import { createAuth } from '../api/services/auth.js'
import { fail, openForScript, runScript } from './cli.js'

const usage = `Usage: npm run token:add -- --email ADDRESS --name "WHAT IT IS FOR" [--role ${ROLES.join('|')}]

Makes an API token for scripts and imports, owned by an existing account; its role is at most
the owner's (default: the owner's). The token is printed once; only its hash is stored. Use it as
"Authorization: Bearer <token>"; revoke it with DELETE /api/tokens/<id>.`

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help || !values.email || !values.name) fail(usage)
if (values.role !== undefined && !isRole(values.role))
  fail(`--role must be one of ${ROLES.join(', ')}`)
const role = values.role !== undefined && isRole(values.role) ? values.role : undefined

const { handle } = await openForScript()
await runScript(
  () => handle.close(),
  async () => {
    const owner = await findUserByEmail(handle.db, values.email as string)
    if (!owner || owner.deleted_at || owner.disabled_at) fail(`No active account ${values.email}.`)
    const { password_hash: _hash, ...user } = owner
    const { token, secret } = await createAuth({ db: handle.db, clock: systemClock }).createToken(
      user,
      { name: values.name as string, role },
      userActor(user.id),
    )
    console.error(
      `Token "${token.name}" (${token.role}, id ${token.id}). Shown once; keep it safe:`,
    )
    console.log(secret)
  },
)
