/**
 * npm run loadtest [-- --clients 50 --seconds 60 --outage-at 25 --outage-down 4 --write]
 *
 * Mixed reads and writes by many clients against the real service on a private PostgreSQL
 * cluster, with PostgreSQL stopped and started in the middle and a SIGTERM at the end; see
 * tests/helpers/loadtest.ts. Prints a summary; --write also puts it in docs/loadtest-results.md.
 * Exits 1 when a check fails. Needs root and the PostgreSQL server binaries (as in CI).
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'
import { projectRoot } from '../../api/config.js'
import { clusterUnavailable, formatReport, runLoadTest } from '../../tests/helpers/loadtest.js'

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'outage-at': { type: 'string' },
    'outage-down': { type: 'string', default: '4' },
    'no-outage': { type: 'boolean', default: false },
    'fast-503-ms': { type: 'string', default: '1000' },
    write: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
const usage = `Usage: npm run loadtest -- [--clients 50] [--seconds 60] [--outage-at S] [--outage-down 4]
       [--no-outage] [--fast-503-ms 1000] [--write]

Runs the load and fault test on a private PostgreSQL cluster (never the shared server):
N clients of mixed reads and writes for S seconds, PostgreSQL stopped at --outage-at
(default: 40 % in) for --outage-down seconds, then SIGTERM during in-flight requests.
--write puts the summary in docs/loadtest-results.md. Exits 1 when a check fails.`
if (values.help) {
  console.log(usage)
  process.exit(0)
}
const num = (name: string, v: string, min: number) => {
  const n = Number(v)
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number ≥ ${min}\n\n${usage}`)
    process.exit(1)
  }
  return n
}
const clients = Math.floor(num('clients', values.clients, 1))
const seconds = num('seconds', values.seconds, 5)
const atS =
  values['outage-at'] === undefined ? seconds * 0.4 : num('outage-at', values['outage-at'], 0)
const downS = num('outage-down', values['outage-down'], 0)
if (!values['no-outage'] && atS + downS >= seconds - 2) {
  console.error('The outage must end at least 2 s before the load does (to see the recovery).')
  process.exit(1)
}

const why = clusterUnavailable()
if (why) {
  console.error(`Cannot run the load test here: ${why}.`)
  process.exit(1)
}

const report = await runLoadTest({
  clients,
  seconds,
  outage: values['no-outage'] ? null : { atS, downS },
  fast503Ms: num('fast-503-ms', values['fast-503-ms'], 1),
  log: (line) => console.error(line),
})
const text = formatReport(report)
console.log(`\n${text}`)
if (values.write) {
  const file = path.join(projectRoot, 'docs', 'loadtest-results.md')
  const markdown = `# Load and fault test results\n\nMade by \`npm run loadtest -- --write\` on ${new Date().toISOString().slice(0, 10)}; see README.md, "Load and fault tests", for what it does and checks.\n\n${text}\n`
  // Formatted as the rest of the repository (npm run check includes Prettier).
  const options = (await prettier.resolveConfig(file)) ?? {}
  fs.writeFileSync(file, await prettier.format(markdown, { ...options, filepath: file }))
  console.error(`Wrote ${path.relative(process.cwd(), file)}`)
}
process.exit(report.failures.length === 0 ? 0 : 1)
