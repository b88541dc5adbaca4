import fs from 'node:fs'
import { parseArgs } from 'node:util'
import path from 'node:path'
import { reportCommand } from '../api/admin/commands/report.js'
import type { SurfaceResolution } from '../api/domain/surface.js'
import { execute, fail } from './cli.js'

const usage = `Usage: npm run report -- AREA --out FILE.pdf [--lang nl|en] [--scenario ID] [--res 7-10]
       [--threshold-walk M] [--threshold-bike M] [--threshold-line M] [--html]

Makes the gap report of an area (a gemeente such as GM0995, a wijk, or "province") as a PDF,
printed by headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium); --html writes the page
instead. The figures are the same as GET /reports/AREA and /api/coverage.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    lang: { type: 'string', default: 'nl' },
    scenario: { type: 'string' },
    res: { type: 'string', default: '10' },
    'threshold-walk': { type: 'string' },
    'threshold-bike': { type: 'string' },
    'threshold-line': { type: 'string' },
    html: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
const code = positionals[0]
if (values.help || !code || !values.out) fail(usage)
if (values.lang !== 'nl' && values.lang !== 'en') fail('--lang must be nl or en')
const res = Number(values.res)
if (![7, 8, 9, 10].includes(res)) fail('--res must be 7, 8, 9 or 10')
const metres = (v: string | undefined) => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!(n >= 50 && n <= 50_000)) fail(`A threshold is 50 to 50000 metres, not ${v}`)
  return n
}
const browserPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!values.html && !fs.existsSync(browserPath)) {
  fail(`No Chromium at ${browserPath}: install it (apt-get install chromium) or set CHROMIUM_PATH.`)
}

await execute(reportCommand, {
  code,
  out: path.resolve(values.out),
  lang: values.lang,
  scenario: values.scenario,
  res: res as SurfaceResolution,
  thresholds: {
    walk: metres(values['threshold-walk']),
    bike: metres(values['threshold-bike']),
    line: metres(values['threshold-line']),
  },
  html: values.html,
  browserPath,
})
