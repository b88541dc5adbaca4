import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { reportHtml } from '../api/http/report-html.js'
import { REPORT_CSS } from '../api/http/reports.js'
import { straightLine } from '../api/domain/reach.js'
import type { SurfaceResolution } from '../api/domain/surface.js'
import { createAnalysis } from '../api/services/analysis.js'
import { systemClock } from '../api/services/assets.js'
import { createNetworks } from '../api/services/network.js'
import { createPlanning } from '../api/services/planning.js'
import { buildReport } from '../api/services/report.js'
import { fail, openForScript, runScript } from './cli.js'

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
    res: { type: 'string', default: '9' },
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

const { config, handle } = await openForScript()
await runScript(
  () => handle.close(),
  async () => {
    const networks = createNetworks({ db: handle.db, snapLimitM: config.snapLimitM })
    const analysis = createAnalysis({
      db: handle.db,
      clock: systemClock,
      methods: { line: straightLine(), ...networks.methods },
      regionName: config.regionName,
      networks,
    })
    const report = await buildReport(
      {
        db: handle.db,
        analysis,
        planning: createPlanning(analysis),
        clock: systemClock,
        networks: {
          walk: Boolean(await networks.networkFor('walk')),
          bike: Boolean(await networks.networkFor('bike')),
        },
      },
      {
        code,
        res: res as SurfaceResolution,
        thresholds: {
          walk: metres(values['threshold-walk']),
          bike: metres(values['threshold-bike']),
          line: metres(values['threshold-line']),
        },
        scenarioId: values.scenario,
        lang: values.lang as 'nl' | 'en',
      },
    )
    const html = reportHtml(report, { css: REPORT_CSS })
    const out = values.out as string
    if (values.html) {
      fs.writeFileSync(out, html)
    } else {
      const browser = await chromium.launch({
        executablePath: browserPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      })
      try {
        const page = await browser.newPage()
        await page.setContent(html, { waitUntil: 'load' })
        await page.pdf({ path: out, format: 'A4', printBackground: true, preferCSSPageSize: true })
      } finally {
        await browser.close()
      }
    }
    const f = report.figures[report.primary]!.area
    console.log(
      `${out}: ${report.area.name}, ${f.inhabitantsWithin} of ${f.inhabitants} inhabitants within ` +
        `${report.thresholds[report.primary]} m (${report.primary}).`,
    )
  },
)
