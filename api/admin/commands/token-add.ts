import { z } from 'zod'
import { notFoundError } from '../../domain/errors.js'
import { PROBLEM } from '../../domain/messages.js'
import { ROLES, userActor } from '../../domain/roles.js'
import { findAccountByEmail } from '../../services/users.js'
import { createAuth } from '../../services/auth.js'
import { defineCommand } from '../command.js'

/** Makes an API token for an existing account; the secret is printed once. */
export const tokenAdd = defineCommand({
  name: 'token:add',
  args: z.strictObject({
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES).optional(),
    days: z.number().int().min(1).optional(),
  }),
  async run({ handle, config, clock, io }, args) {
    const user = await findAccountByEmail(handle.db, args.email)
    if (!user || user.disabled_at) {
      throw notFoundError(PROBLEM.noActiveAccount(args.email))
    }
    const auth = createAuth({ db: handle.db, clock, tokenMaxDays: config.tokenMaxDays })
    const { token, secret } = await auth.createToken(
      user,
      { name: args.name, role: args.role, expires_in_days: args.days },
      userActor(user.id),
    )
    io.err(
      `Token "${token.name}" (${token.role}, id ${token.id}), valid until ${token.expires_at}. Shown once; keep it safe:`,
    )
    io.out(secret)
    return 0
  },
})
