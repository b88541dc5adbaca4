import fs from 'node:fs'
import { z } from 'zod'
import { straightLine } from '../../domain/reach.js'
import { FIGURE_RESOLUTION, SURFACE_RESOLUTIONS } from '../../domain/surface.js'
import { reportHtml } from '../../http/report-html.js'
import { REPORT_CSS } from '../../http/reports.js'
import { createAnalysis } from '../../services/analysis.js'
import { inlineCompute } from '../../services/compute/pool.js'
import { createNetworks } from '../../services/network.js'
import { createPlanning } from '../../services/planning.js'
import { buildReport } from '../../services/report.js'
import { defineCommand } from '../command.js'

const metres = z.number().min(50).max(50_000).optional()

/** The gap report of an area as a PDF (printed by headless Chromium) or as HTML. */
export const reportCommand = defineCommand({
  name: 'report',
  args: z.strictObject({
    code: z.string().min(1).max(20),
    out: z.string().min(1),
    lang: z.enum(['nl', 'en']).default('nl'),
    scenario: z.string().optional(),
    res: z.union(SURFACE_RESOLUTIONS.map((r) => z.literal(r))).default(FIGURE_RESOLUTION),
    thresholds: z.strictObject({ walk: metres, bike: metres, line: metres }).default({}),
    html: z.boolean().default(false),
    browserPath: z.string().default('/usr/bin/chromium'),
  }),
  async run({ handle, config, clock, io }, args) {
    const compute = inlineCompute()
    const networks = createNetworks({ db: handle.db, snapLimitM: config.snapLimitM, compute })
    const analysis = createAnalysis({
      db: handle.db,
      clock,
      methods: { line: straightLine(), ...networks.methods },
      regionName: config.regionName,
      networks,
      compute,
    })
    const report = await buildReport(
      {
        db: handle.db,
        analysis,
        planning: createPlanning(analysis),
        clock,
        networks: {
          walk: Boolean(await networks.networkFor('walk')),
          bike: Boolean(await networks.networkFor('bike')),
        },
        // Printed links must be absolute: the public address, else this machine's service.
        baseUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      },
      {
        code: args.code,
        res: args.res,
        thresholds: args.thresholds,
        scenarioId: args.scenario,
        lang: args.lang,
      },
    )
    const html = reportHtml(report, { css: REPORT_CSS })
    if (args.html) {
      fs.writeFileSync(args.out, html)
    } else {
      // Loaded only here: the service that runs this command for the command line does not
      // need a browser driver otherwise.
      const { chromium } = await import('playwright-core')
      const browser = await chromium.launch({
        executablePath: args.browserPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      })
      try {
        const page = await browser.newPage()
        await page.setContent(html, { waitUntil: 'load' })
        await page.pdf({
          path: args.out,
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          // Headings, tables and reading order for assistive technology, and a bookmark per
          // heading (the accessibility statement says the PDF has them).
          tagged: true,
          outline: true,
        })
      } finally {
        await browser.close()
      }
    }
    if (!config.publicUrl) {
      io.out(
        `Note: BUURTKAART_PUBLIC_URL is not set, so the report's links and QR code point to http://localhost:${config.port}; set it to the address the public uses.`,
      )
    }
    const f = report.figures[report.primary]?.area
    if (f) {
      const share = f.share === null ? '–' : `${(f.share * 100).toFixed(1)}%`
      io.out(
        `${args.out}: ${report.area.name}, ${share} (${Math.round(f.inhabitantsWithin)} of ${f.inhabitants} inhabitants) within ` +
          `${report.thresholds[report.primary]} m (${report.primary}).`,
      )
    }
    return 0
  },
})
