import readline from 'node:readline'
import { parseArgs } from 'node:util'
import { isRole, ROLES } from '../api/domain/roles.js'
import { PASSWORD_MIN } from '../api/domain/password.js'
import { userAdd } from '../api/admin/commands/user-add.js'
import { execute, fail } from './cli.js'

const usage = `Usage: npm run user:add -- --email ADDRESS --name "NAME" [--role ${ROLES.join('|')}] [--password-stdin]

Makes an account (the first admin, for instance). The password is asked for on the terminal
(not shown while typing), or read as one line from standard input with --password-stdin.
It is never taken from the command line, where other users of the machine could see it.`

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'contributor' },
    'password-stdin': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help || !values.email || !values.name) fail(usage)
if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`)
const role = values.role

/** Reads a line from standard input; on a terminal without echoing what is typed. */
function readPassword(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stderr,
      terminal: Boolean(process.stdin.isTTY),
    })
    const tty = process.stdin.isTTY
    if (tty) {
      process.stderr.write(prompt)
      // Replace the echo of every typed character by nothing.
      ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
    }
    rl.question(tty ? '' : '', (answer) => {
      if (tty) process.stderr.write('\n')
      rl.close()
      resolve(answer)
    })
  })
}

async function password(): Promise<string> {
  if (values['password-stdin']) return (await readPassword('')).replace(/\r?\n$/, '')
  if (!process.stdin.isTTY) fail('No terminal to ask the password on: use --password-stdin.')
  const first = await readPassword(`Password (at least ${PASSWORD_MIN} characters): `)
  const second = await readPassword('Once more: ')
  if (first !== second) fail('The passwords differ; nothing was saved.')
  return first
}

await execute(userAdd, {
  email: values.email,
  name: values.name,
  role,
  password: await password(),
})
