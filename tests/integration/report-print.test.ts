import { execFile } from 'node:child_process'
import fs from 'node:fs'
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { projectRoot } from '../../api/config.js'
import { createApp } from '../../api/http/app.js'
import { listen } from '../../api/http/listen.js'
import {
  assetBody,
  call,
  describeBackends,
  loadRealAreas,
  needsSharedData,
  TEST_CONFIG,
} from '../helpers/backends.js'

/**
 * The gap report as Marloes prints it (Chromium's PDF of the served page, as `npm run report`
 * makes it) and the accessibility statement, in real Chromium with axe-core. The PDFs and their
 * pages as PNG stay in test-results/ for a person to look at.
 */

const run = promisify(execFile)
const PUBLIC_URL = 'https://kaart.example.nl'
const RESULTS = path.join(projectRoot, 'test-results')

/** Meeting places in and around Lelystad (fixed points), one with an address. */
const PLACES: { name: string; at: [number, number]; address?: string }[] = [
  { name: 'Buurthuis De Kern', at: [5.4714, 52.5185], address: 'Agorabaan 12, Lelystad' },
  { name: 'Wijkcentrum Atolplaza', at: [5.43, 52.505] },
  { name: 'Bibliotheek Lelystad', at: [5.5, 52.52] },
  { name: 'Speeltuin De Wissel', at: [5.45, 52.49] },
  {
    name: 'Bankje bij de Zuigerplasdreef',
    at: [5.4605, 52.4951],
    address: 'Zuigerplasdreef, Lelystad',
  },
]

describeBackends(
  'the printed report and the accessibility statement in Chromium',
  (ctx) => {
    let server: http.Server | undefined
    let browser: Browser | undefined
    let base = ''
    let dir = ''

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-print-'))
      fs.mkdirSync(RESULTS, { recursive: true })
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        config: { ...TEST_CONFIG, publicUrl: PUBLIC_URL },
        clock: ctx().clock,
      })
      server = await new Promise<http.Server>((resolve) => {
        const s = listen(app, { port: 0, hostname: '127.0.0.1' }, () => resolve(s))
      })
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      })
    })
    afterAll(async () => {
      await browser?.close()
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
      fs.rmSync(dir, { recursive: true, force: true })
    })

    const page = async (url: string, viewport = { width: 1280, height: 800 }): Promise<Page> => {
      const p = await (await browser!.newContext({ viewport })).newPage()
      const res = await p.goto(base + url)
      expect(res?.status()).toBe(200)
      return p
    }

    /** Prints a report page to A4 as `npm run report` does; its page count, text and PNGs. */
    const print = async (url: string, name: string) => {
      const p = await page(url)
      const pdf = path.join(dir, `${name}.pdf`)
      await p.pdf({
        path: pdf,
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        tagged: true,
        outline: true,
      })
      await p.close()
      const info = (await run('pdfinfo', [pdf])).stdout
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])
      const text = (await run('pdftotext', ['-layout', pdf, '-'])).stdout
      const kept = path.join(RESULTS, `${name}-${ctx().backend}`)
      fs.copyFileSync(pdf, `${kept}.pdf`)
      for (const f of fs.readdirSync(RESULTS)) {
        if (f.startsWith(`${path.basename(kept)}-`) && f.endsWith('.png'))
          fs.rmSync(path.join(RESULTS, f))
      }
      await run('pdftoppm', ['-png', '-r', '70', pdf, kept])
      return { pages, text, flat: text.replace(/\s+/g, ' ') }
    }

    it.runIf(needsSharedData())(
      'prints a gemeente without scenario on two A4 pages, the methods all in Dutch',
      async () => {
        const { pages, flat } = await print('/api/v1/reports/GM0995', 'report-GM0995-nl')
        expect(pages).toBe(2)
        expect(flat).toContain('Ontmoetingsplekken in Lelystad')
        expect(flat).toContain('Hoe is dit berekend?')
        expect(flat).toContain(`${PUBLIC_URL}/api/v1/reports/GM0995?`)
        for (const english of [
          'straight line',
          'populated centre',
          'from the',
          ' data ',
          'Made with',
        ]) {
          expect(flat, english).not.toContain(english)
        }
      },
    )

    it.runIf(needsSharedData())(
      'prints every gemeente without scenario on two A4 pages',
      async () => {
        for (const code of ['GM0034', 'GM0303', 'GM0171', 'GM0050', 'GM0184', 'province']) {
          const { pages, flat } = await print(`/api/v1/reports/${code}`, `report-${code}-nl`)
          expect(pages, code).toBe(2)
          expect(flat, code).toContain('Hoe is dit berekend?')
        }
      },
    )

    it.runIf(needsSharedData())('prints the English report all in English', async () => {
      const { pages, flat } = await print('/api/v1/reports/GM0995?lang=en', 'report-GM0995-en')
      expect(pages).toBe(2)
      expect(flat).toContain('Meeting places in Lelystad')
      expect(flat).toContain('How was this computed?')
      for (const dutch of [
        'hemelsbreed',
        'inwoners',
        'ontmoetingsplek',
        'Bronnen',
        'lopen',
        'Gemaakt',
      ]) {
        expect(flat, dutch).not.toContain(dutch)
      }
    })

    it.runIf(needsSharedData())(
      'prints a scenario with the proposed place named by wijk and nearest address',
      async () => {
        const saved = await call(ctx().app, 'POST', '/api/scenarios', {
          name: 'Huiskamer bij de Zuigerplasdreef',
          area: 'GM0995',
          mode: 'line',
          add: [{ lon: 5.461, lat: 52.4955, kind: 'living_room' }],
        })
        expect(saved.status, saved.text).toBe(201)
        const { pages, flat } = await print(
          `/api/v1/reports/GM0995?scenario=${saved.json.id}`,
          'report-GM0995-scenario-nl',
        )
        expect(pages).toBeLessThanOrEqual(3)
        expect(flat).toContain('Wat als: Huiskamer bij de Zuigerplasdreef')
        expect(flat).toContain(
          'Huiskamer van de wijk / inloop: in wijk Havendiep, gemeente Lelystad, ongeveer 60 m van Zuigerplasdreef, Lelystad',
        )
        expect(flat).toContain('Komt binnen 800 m hemelsbreed door de voorgestelde plek')
        expect(flat).not.toMatch(/\(52,\d+, 5,\d+\)/)
      },
    )

    it('serves the accessibility statement; axe finds nothing on it, on a phone and at a desk', async () => {
      for (const url of ['/toegankelijkheid', '/accessibility']) {
        for (const viewport of [
          { width: 390, height: 844 },
          { width: 1280, height: 800 },
        ]) {
          const p = await page(url, viewport)
          const result = await new AxeBuilder({ page: p })
            .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
            .analyze()
          expect(
            result.violations,
            `${url} ${viewport.width}: ${JSON.stringify(result.violations, null, 1)}`,
          ).toEqual([])
          expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
            viewport.width,
          )
          // The skip link is the first stop of the keyboard and moves focus to the content.
          await p.keyboard.press('Tab')
          expect(await p.evaluate(() => document.activeElement?.className)).toBe('skip')
          await p.keyboard.press('Enter')
          expect(await p.evaluate(() => document.activeElement?.id)).toBe('inhoud')
          await p.screenshot({
            path: path.join(
              RESULTS,
              `statement${url.replace('/', '-')}-${viewport.width}x${viewport.height}-${ctx().backend}.png`,
            ),
            fullPage: true,
          })
          await p.close()
        }
      }
    })

    it.runIf(needsSharedData())(
      'axe finds nothing on the report page, on a phone and at a desk',
      async () => {
        for (const [url, name] of [
          ['/api/v1/reports/GM0995', 'nl'],
          ['/api/v1/reports/GM0995?lang=en', 'en'],
        ] as const) {
          for (const viewport of [
            { width: 390, height: 844 },
            { width: 1280, height: 800 },
          ]) {
            const p = await page(url, viewport)
            const result = await new AxeBuilder({ page: p })
              .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
              .analyze()
            expect(
              result.violations,
              `${url} ${viewport.width}: ${JSON.stringify(result.violations, null, 1)}`,
            ).toEqual([])
            // Nothing wider than the screen.
            expect(
              await p.evaluate(() => document.documentElement.scrollWidth),
              `${url} ${viewport.width}`,
            ).toBeLessThanOrEqual(viewport.width)
            const shot = `report-screen-${name}-${viewport.width}x${viewport.height}-${ctx().backend}.png`
            await p.screenshot({ path: path.join(RESULTS, shot), fullPage: true })
            await p.close()
          }
        }
      },
    )
  },
  {
    reset: 'none',
    setup: async (c) => {
      if (!needsSharedData()) return
      await loadRealAreas(c.handle, c.clock, ['gemeenten', 'wijken'], { counts2024: true })
      for (const p of PLACES) {
        const kind = p.name.startsWith('Bankje') ? 'bench' : 'community_centre'
        const res = await call(
          c.app,
          'POST',
          '/api/assets',
          assetBody({ name: p.name, kind, ...(p.address ? { address: p.address } : {}) }, p.at),
        )
        expect(res.status, res.text).toBe(201)
      }
    },
  },
)
