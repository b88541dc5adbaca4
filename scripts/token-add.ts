import { parseArgs } from 'node:util'
import { tokenAdd } from '../api/admin/commands/token-add.js'
import { isRole, ROLES } from '../api/domain/roles.js'
import { execute, fail } from './cli.js'

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

await execute(tokenAdd, {
  email: values.email,
  name: values.name,
  role,
  days,
})
