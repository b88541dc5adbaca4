import { z } from 'zod'
import { ROLES } from '../../domain/roles.js'
import { createUser } from '../../services/users.js'
import { defineCommand } from '../command.js'

/** Makes an account (the first admin, for instance); the password comes from the caller. */
export const userAdd = defineCommand({
  name: 'user:add',
  args: z.strictObject({
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    password: z.string(),
  }),
  async run({ handle, clock, io }, args) {
    const user = await createUser(
      handle.db,
      { email: args.email, display_name: args.name, role: args.role, password: args.password },
      { actor: 'cli:user:add', clock },
    )
    io.out(`Made ${user.role} ${user.email} (${user.id}).`)
    return 0
  },
})
