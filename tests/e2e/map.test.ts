import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { projectRoot } from '../../api/config.js'
import { createApp } from '../../api/http/app.js'
import { SEED_FILE } from '../../api/seed-file.js'
import { systemClock } from '../../api/services/assets.js'
import { seedIfEmpty } from '../../api/services/seed.js'
import {
  type TestContext,
  describeBackends,
  loadRealAreas,
  requireSharedData,
  TEST_CONFIG,
  testSchemas,
} from '../helpers/backends.js'
import { importOsmFile, loadSyntheticDelftAreas, NL } from '../helpers/osm.js'

const SCREENSHOTS = path.join(projectRoot, 'test-results')
const WEB_ROOT = path.join(projectRoot, 'web', 'dist')

let browser: Browser

/**
 * Serves the suite's database through the real app (with the built web app) on a free port for
 * the browser, for the whole suite; returns a getter of its address.
 */
type AppConfig = Partial<Parameters<typeof createApp>[0]['config']>

function servedApp(ctx: () => TestContext, config: AppConfig | (() => AppConfig) = {}) {
  let base = ''
  let server: ServerType | undefined
  beforeAll(async () => {
    const app = createApp({
      db: ctx().handle.db,
      backend: ctx().backend,
      config: { ...TEST_CONFIG, ...(typeof config === 'function' ? config() : config) },
      clock: ctx().clock,
      webRoot: WEB_ROOT,
    })
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => server?.close(resolve)))
  return () => base
}

beforeAll(async () => {
  await build({ configFile: path.join(projectRoot, 'vite.config.ts'), logLevel: 'warn' })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
})

describeBackends(
  'web app in Chromium',
  (ctx) => {
    const address = servedApp(ctx)

    it('opens on Flevoland and shows the gemeenten and the seed register on the map', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      page.on('console', (m) => {
        // Offline, the PDOK basemap cannot load: Chromium logs that one failed request.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: net::ERR_'))
          errors.push(m.text())
      })
      const failed: string[] = []
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
      })
      page.on('requestfailed', (r) => {
        if (!r.url().startsWith('https://api.pdok.nl/')) failed.push(`failed ${r.url()}`)
      })
      await page.goto(address() + '/')
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.textContent('#status')).toBe('16 plekken op de kaart')
      expect(await page.locator('#map canvas').count()).toBe(1)
      // No internet here: the map works without its basemap, and says so discreetly.
      // The places in view also as a list (keyboard and screen readers).
      await page.click('#list summary')
      const inView = Number(
        /^(\d+) plekken in beeld$/.exec((await page.textContent('#list-count')) ?? '')?.[1],
      )
      expect(inView).toBeGreaterThan(10)
      expect(await page.locator('#list-items button').count()).toBe(inView)
      await page.waitForSelector('body[data-basemap="offline"]')
      expect(await page.textContent('#basemap-note')).toContain('Achtergrondkaart niet bereikbaar')
      await page.screenshot({ path: path.join(SCREENSHOTS, `map-${ctx().backend}.png`) })
      expect(errors).toEqual([])
      expect(failed).toEqual([])
      await page.close()
    })

    it('draws the distance layer from a permalink, with legend and a read-out on hover', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`${address()}/?layer=distance&threshold=800#10.5/52.51/5.47`)
      await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
      expect(await page.inputValue('#layer')).toBe('distance')
      // 16 seed places; the planned Homerushuis does not count (active places only).
      await page.waitForFunction(() =>
        /^[\d.]+ cellen, 15 ontmoetingsplekken geteld$/.test(
          document.querySelector('#layer-status')?.textContent ?? '',
        ),
      )
      expect(await page.textContent('#hex-legend')).toContain('400 m – 800 m ← grens')
      // Hover the map until the pointer is over a populated cell.
      let text = ''
      for (const [x, y] of [
        [760, 400],
        [700, 350],
        [820, 450],
        [640, 420],
        [900, 380],
      ] as const) {
        await page.mouse.move(x, y)
        await page.waitForTimeout(150)
        if (await page.isVisible('#readout')) {
          text = (await page.textContent('#readout')) ?? ''
          break
        }
      }
      expect(text).toMatch(
        /^[\d.]+ inwoners?, [\d,]+ (m|km) hemelsbreed naar de dichtstbijzijnde ontmoetingsplek$/,
      )
      await page.screenshot({ path: path.join(SCREENSHOTS, `distance-${ctx().backend}.png`) })
      await page.selectOption('#layer', 'gap')
      await page.waitForSelector('body[data-layer="gap"]')
      expect(new URL(page.url()).searchParams.get('layer')).toBe('gap')
      expect(errors).toEqual([])
      await page.close()
    })

    it("shows an area's coverage from a permalink, and a gap click flies there", async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`${address()}/?layer=none&area=GM0995`)
      await page.waitForSelector('body[data-area="GM0995"]', { timeout: 30_000 })
      expect(await page.inputValue('#gemeente')).toBe('GM0995')
      const headline = ((await page.textContent('.headline')) ?? '').replace(/\s+/g, ' ').trim()
      expect(headline).toMatch(
        /^Van de [\d.]+ inwoners wonen er [\d.]+ \([\d,]+%\) binnen 800 m \(hemelsbreed\) van een ontmoetingsplek\.$/,
      )
      expect(await page.locator('.bands li').count()).toBe(5)
      expect(await page.locator('button[data-gap]').count()).toBeGreaterThan(0)
      await page
        .locator('.area')
        .screenshot({ path: path.join(SCREENSHOTS, `area-${ctx().backend}.png`) })
      await page.click('button[data-gap="0"]')
      await page.waitForFunction(
        () => Number(location.hash.slice(1).split('/')[0]) >= 12.9,
        undefined,
        { timeout: 10_000 },
      )
      expect(new URL(page.url()).searchParams.get('area')).toBe('GM0995')
      expect(errors).toEqual([])
      await page.close()
    })

    it('opens a place on click with its fields and history; Escape closes; the URL reopens it', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      // Binnentuin Het Rode Klif (seed, town precision) sits in the middle of the map.
      await page.goto(`${address()}/?layer=none#14/52.509/5.4725`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await page.mouse.click(320 + (1200 - 320) / 2, 400)
      await page.waitForSelector('body[data-place]', { timeout: 10_000 })
      expect(await page.textContent('#place-body h3')).toBe('Binnentuin Het Rode Klif')
      const body = (await page.textContent('#place-body')) ?? ''
      expect(body).toContain('Gedeelde tuin / binnentuin')
      expect(body).toContain('Locatie bij benadering: het midden van de plaats.')
      expect(body).toMatch(/\d{1,2} [a-z]{3} 20\d\d: geïmporteerd door system:seed \(versie 1\)/)
      const id = new URL(page.url()).searchParams.get('place')
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
      await page
        .locator('#place')
        .screenshot({ path: path.join(SCREENSHOTS, `place-${ctx().backend}.png`) })
      await page.keyboard.press('Escape')
      expect(await page.isHidden('#place')).toBe(true)
      expect(new URL(page.url()).searchParams.get('place')).toBeNull()
      await page.goto(`${address()}/?layer=none&place=${id}`)
      await page.waitForSelector('#place-body h3')
      expect(await page.textContent('#place-body h3')).toBe('Binnentuin Het Rode Klif')
      expect(errors).toEqual([])
      await page.close()
    })

    it('finds a place by name and opens it', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      await page.goto(`${address()}/?layer=none`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await page.fill('#search', 'hestia')
      await page.waitForSelector('#search-results button')
      expect(await page.locator('#search-results button').count()).toBe(1)
      await page.click('#search-results button')
      await page.waitForSelector('#place-body h3')
      expect(await page.textContent('#place-body h3')).toBe('Hof van Hestia')
      await page.fill('#search', 'bestaat-niet')
      expect(await page.textContent('#search-results')).toContain('Geen plek gevonden')
      await page.close()
    })

    it('counts only the places the filters name, in layer and figures, and keeps them in the URL', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      await page.goto(`${address()}/?layer=distance&area=GM0995&wheelchair=yes#10.5/52.51/5.47`)
      await page.waitForSelector('body[data-layer="distance"][data-area="GM0995"]', {
        timeout: 30_000,
      })
      // No seed place has its wheelchair access recorded: none counts. (Choosing the area fits the
      // map, which refreshes the layer once more: wait for the answer, do not read it once.)
      await page.waitForFunction(() =>
        /, 0 ontmoetingsplekken geteld$/.test(
          document.querySelector('#layer-status')?.textContent ?? '',
        ),
      )
      expect(await page.isVisible('#kinds')).toBe(true)
      // The map shows the same selection: places that do not count are faded.
      await page.waitForSelector('body[data-counted="0"]')
      await page.selectOption('#wheelchair', '')
      await page.waitForFunction(() =>
        /, 15 ontmoetingsplekken geteld$/.test(
          document.querySelector('#layer-status')?.textContent ?? '',
        ),
      )
      await page.uncheck('#kinds input[value="community_centre"]')
      await page.waitForFunction(() => new URL(location.href).searchParams.get('kind') !== null)
      const kinds = new URL(page.url()).searchParams.get('kind') ?? ''
      expect(kinds.split(',')).not.toContain('community_centre')
      await page.waitForSelector('body[data-counted="11"]')
      await page.waitForFunction(() =>
        /, 11 ontmoetingsplekken geteld$/.test(
          document.querySelector('#layer-status')?.textContent ?? '',
        ),
      )
      // A planned place counts when asked: the Homerushuis (a community centre) is planned.
      await page.check('#kinds input[value="community_centre"]')
      await page.check('#statuses input[value="planned"]')
      await page.waitForFunction(() =>
        /, 16 ontmoetingsplekken geteld$/.test(
          document.querySelector('#layer-status')?.textContent ?? '',
        ),
      )
      expect(new URL(page.url()).searchParams.get('status')).toBe('active,planned')
      // A fixed hexagon size instead of the automatic one, kept in the URL.
      const auto = (await page.textContent('#layer-status')) ?? ''
      await page.selectOption('#res', '7')
      await page.waitForFunction((before) => {
        const text = document.querySelector('#layer-status')?.textContent ?? ''
        return text !== before && /cellen/.test(text)
      }, auto)
      expect(new URL(page.url()).searchParams.get('res')).toBe('7')
      const cells = (text: string) => Number(/^([\d.]+) cellen/.exec(text)?.[1]?.replace('.', ''))
      expect(cells((await page.textContent('#layer-status')) ?? '')).toBeLessThan(cells(auto))
      await page.close()
    })

    it("adds a place: position on the map, the API's field errors inline, saved and shown", async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`${address()}/?layer=none#15/52.512/5.49`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await page.click('#add-place')
      await page.click('#add-form button[type=submit]')
      expect(await page.textContent('#err-geometry')).toBe(
        'Kies eerst de plek op de kaart (of gebruik uw locatie).',
      )
      await page.mouse.click(320 + (1200 - 320) / 2, 450)
      expect(await page.textContent('#add-where')).toContain('Plek gekozen')
      await page.click('#add-form button[type=submit]')
      await page.waitForFunction(
        () => (document.querySelector('#err-name')?.textContent ?? '') !== '',
      )
      expect(await page.textContent('#err-name')).toBe('Dit veld mag niet leeg zijn.')
      expect(await page.textContent('#err-kind')).toBe('Dit veld is verplicht.')
      expect(await page.getAttribute('#add-name', 'aria-invalid')).toBe('true')
      await page.fill('#add-name', 'Bankje bij de vijver')
      await page.check('#add-kinds input[value="bench"]')
      await page.click('#add-form summary')
      await page.fill('#add-opening_hours', 'soms')
      await page.click('#add-form button[type=submit]')
      await page.waitForFunction(
        () => (document.querySelector('#err-opening_hours')?.textContent ?? '') !== '',
      )
      expect(await page.textContent('#err-opening_hours')).toContain('Geen geldige openingstijden')
      expect(await page.textContent('#err-name')).toBe('')
      await page.fill('#add-opening_hours', '')
      await page.click('#add-form button[type=submit]')
      await page.waitForSelector('#toast:has-text("Opgeslagen: Bankje bij de vijver")')
      await page.waitForFunction(
        () => document.querySelector('#status')?.textContent === '17 plekken op de kaart',
      )
      await page.waitForFunction(
        () => document.querySelector('#place-body h3')?.textContent === 'Bankje bij de vijver',
      )
      expect(await page.isHidden('#add')).toBe(true)
      await page.screenshot({ path: path.join(SCREENSHOTS, `added-${ctx().backend}.png`) })
      // After a reload it is still there, and search finds it.
      await page.reload()
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await page.fill('#search', 'vijver')
      await page.waitForSelector('#search-results button:has-text("Bankje bij de vijver")')
      expect(errors).toEqual([])
      await page.close()
    })
  },
  {
    // Both browser tests look at one loaded state: the real areas and the seed register.
    reset: 'none',
    setup: async (ctx) => {
      await loadRealAreas(ctx.handle, systemClock, ['gemeenten', 'wijken'])
      await seedIfEmpty(
        { db: ctx.handle.db, clock: ctx.clock, schemas: testSchemas },
        fs.readFileSync(SEED_FILE, 'utf8'),
      )
    },
  },
)

describeBackends(
  'walking distances and detours in Chromium',
  (ctx) => {
    const address = servedApp(ctx, { regionBbox: NL, regionName: 'Nederland' })

    it('draws the detour layer over the walk network with its legend, read-out and area figures', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`${address()}/?layer=detour&mode=walk#14.5/52.0/4.3705`)
      await page.waitForSelector('body[data-layer="detour"]', { timeout: 30_000 })
      expect(await page.inputValue('#mode')).toBe('walk')
      expect(await page.textContent('#hex-legend')).toContain(
        'Hoeveel verder is het lopend over de weg dan hemelsbreed?',
      )
      expect(await page.textContent('#hex-legend')).toContain('OpenStreetMap')
      let text = ''
      for (const [x, y] of [
        [600, 400],
        [700, 350],
        [520, 450],
        [650, 300],
        [800, 420],
      ] as const) {
        await page.mouse.move(x, y)
        await page.waitForTimeout(150)
        if (await page.isVisible('#readout')) {
          text = (await page.textContent('#readout')) ?? ''
          if (text.includes('omweg')) break
        }
      }
      expect(text).toMatch(
        /lopend over de weg naar de dichtstbijzijnde ontmoetingsplek; hemelsbreed [\d,]+ (m|km), omweg [\d,]+×$/,
      )
      await page.screenshot({ path: path.join(SCREENSHOTS, `detour-${ctx().backend}.png`) })
      // The area's figures over the network: the mean detour and who has no route.
      await page.selectOption('#gemeente', 'GM9901')
      await page.waitForSelector('#area-figures dt:has-text("Omweg")')
      expect(await page.textContent('#area-figures')).toContain('600 zonder pad of weg in de buurt')
      // Switching to the straight line keeps the detour layer meaningful: it goes back to walk.
      await page.selectOption('#layer', 'distance')
      await page.selectOption('#mode', 'bike')
      await page.waitForFunction(() =>
        document.querySelector('#hex-legend')?.textContent?.includes('fietsend over de weg'),
      )
      expect(new URL(page.url()).searchParams.get('mode')).toBe('bike')
      expect(errors).toEqual([])
      await page.close()
    })
  },
  {
    config: { regionBbox: NL, regionName: 'Nederland' },
    reset: 'none',
    setup: async (ctx) => {
      await loadSyntheticDelftAreas(ctx)
      await importOsmFile(ctx, requireSharedData('osm/tudelft.osm.pbf'))
    },
  },
)

describeBackends(
  'mapping together in Chromium',
  (ctx) => {
    const address = servedApp(ctx)

    /** The id of a seed place, by name. */
    const idOf = async (name: string) => {
      const res = await fetch(`${address()}/api/assets?q=${encodeURIComponent(name)}`)
      const body = (await res.json()) as { features: { id: string }[] }
      return body.features[0]!.id
    }

    it('shows an edit conflict between two people, and merges without losing either change', async () => {
      const id = await idOf('HavenHart')
      const a = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const b = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const pageA = await a.newPage()
      const pageB = await b.newPage()
      for (const page of [pageA, pageB]) {
        await page.goto(`${address()}/?layer=none&place=${id}`)
        await page.waitForSelector('#place-body h3:has-text("HavenHart 2.0")', { timeout: 30_000 })
      }
      // Both open the form on version 1.
      await pageA.click('#place-edit')
      await pageB.click('#place-edit')
      await pageA.fill('#add-name', 'HavenHart (Almere Haven)')
      await pageA.click('#add-form summary')
      await pageA.fill('#add-address', 'Sluis 1, Almere Haven')
      await pageA.click('#add-form button[type=submit]')
      await pageA.waitForSelector('#toast:has-text("Opgeslagen: HavenHart (Almere Haven)")')

      await pageB.fill('#add-name', 'HavenHart 2.0 buurtkamer')
      await pageB.click('#add-form summary')
      await pageB.fill('#add-opening_hours', 'Mo-Fr 10:00-16:00')
      await pageB.click('#add-form button[type=submit]')
      await pageB.waitForSelector('#add-conflict:not([hidden])')
      const conflict = (await pageB.textContent('#add-conflict')) ?? ''
      expect(conflict).toContain('Iemand anders heeft deze plek intussen gewijzigd (nu versie 2)')
      expect(conflict).toContain('HavenHart (Almere Haven)')
      expect(conflict).toContain('HavenHart 2.0 buurtkamer (u wijzigde dit ook)')
      expect(conflict).toContain('Sluis 1, Almere Haven')
      await pageB.screenshot({ path: path.join(SCREENSHOTS, `conflict-${ctx().backend}.png`) })
      // Nothing was overwritten yet.
      const between = (await (await fetch(`${address()}/api/assets/${id}`)).json()) as {
        properties: Record<string, unknown>
      }
      expect(between.properties).toMatchObject({ name: 'HavenHart (Almere Haven)', version: 2 })

      await pageB.click('#conflict-mine')
      await pageB.waitForSelector('#toast:has-text("Opgeslagen: HavenHart 2.0 buurtkamer")')
      const after = (await (await fetch(`${address()}/api/assets/${id}`)).json()) as {
        properties: Record<string, unknown>
      }
      // B's fields on top of A's version: A's address is kept.
      expect(after.properties).toMatchObject({
        name: 'HavenHart 2.0 buurtkamer',
        address: 'Sluis 1, Almere Haven',
        opening_hours: 'Mo-Fr 10:00-16:00',
        version: 3,
      })
      await a.close()
      await b.close()
    })

    it('deletes after a confirmation and undoes it', async () => {
      const id = await idOf('Hof van Hestia')
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await page.goto(`${address()}/?layer=none&place=${id}`)
      await page.waitForSelector('#place-body h3:has-text("Hof van Hestia")', { timeout: 30_000 })
      const before = (await page.textContent('#status')) ?? ''
      const count = Number(/^(\d+)/.exec(before)?.[1])
      await page.click('#place-delete')
      expect(await page.isVisible('#place-confirm')).toBe(true)
      await page.click('#place-delete-yes')
      await page.waitForSelector('#toast:has-text("Verwijderd: Hof van Hestia")')
      await page.waitForFunction(
        (n) => document.querySelector('#status')?.textContent === `${n} plekken op de kaart`,
        count - 1,
      )
      expect((await fetch(`${address()}/api/assets/${id}`)).status).toBe(410)
      await page.click('#toast-action')
      await page.waitForSelector('#toast:has-text("Ongedaan gemaakt")')
      await page.waitForFunction(
        (n) => document.querySelector('#status')?.textContent === `${n} plekken op de kaart`,
        count,
      )
      expect((await fetch(`${address()}/api/assets/${id}`)).status).toBe(200)
      await page.close()
    })

    it('keeps unsaved input: asks before closing, and brings it back after a reload', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await page.goto(`${address()}/?layer=none`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await page.click('#add-place')
      await page.fill('#add-name', 'Moestuin aan de dijk')
      await page.keyboard.press('Escape')
      expect(await page.isVisible('#add-unsaved')).toBe(true)
      await page.click('#add-unsaved-keep')
      expect(await page.isVisible('#add')).toBe(true)
      await page.reload()
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.isVisible('#add')).toBe(true)
      expect(await page.inputValue('#add-name')).toBe('Moestuin aan de dijk')
      await page.click('#add-cancel')
      await page.click('#add-unsaved-discard')
      expect(await page.isHidden('#add')).toBe(true)
      await page.reload()
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.isHidden('#add')).toBe(true)
      await page.close()
    })

    it('keeps a save made without connection and sends it when the connection is back', async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const page = await context.newPage()
      await page.goto(`${address()}/?layer=none#12/52.37/5.22`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await page.click('#add-place')
      await page.click('#map', { position: { x: 600, y: 450 } })
      await page.fill('#add-name', 'Ruilkast bij de school')
      await page.check('#add-kinds input[value="initiative"]')
      await context.setOffline(true)
      await page.click('#add-form button[type=submit]')
      await page.waitForSelector('#add-summary:has-text("Niet verzonden")')
      expect(await page.inputValue('#add-name')).toBe('Ruilkast bij de school')
      await context.setOffline(false)
      // The browser's online event sends it again by itself.
      await page.waitForSelector('#toast:has-text("Opgeslagen: Ruilkast bij de school")', {
        timeout: 15_000,
      })
      const found = (await (
        await fetch(`${address()}/api/assets?q=${encodeURIComponent('Ruilkast')}`)
      ).json()) as { features: unknown[] }
      expect(found.features).toHaveLength(1)
      await context.close()
    })

    it('shows a name with <script> in it as text', async () => {
      const name = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
      const res = await fetch(`${address()}/api/assets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          geometry: { type: 'Point', coordinates: [5.2, 52.37] },
          properties: { name, kind: 'initiative', description: '<b>vet</b>' },
        }),
      })
      const created = (await res.json()) as { id: string }
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await page.goto(`${address()}/?layer=none&place=${created.id}`)
      await page.waitForSelector('#place-body h3', { timeout: 30_000 })
      expect(await page.textContent('#place-body h3')).toBe(name)
      expect(await page.textContent('#place-body p')).toBe('<b>vet</b>')
      await page.fill('#search', 'script')
      await page.waitForSelector('#search-results button')
      expect(await page.textContent('#search-results button')).toContain('<script>')
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined()
      await page.close()
    })

    it('switches between Dutch and English, numbers and API messages included', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await page.goto(`${address()}/?layer=distance&threshold=800&lang=en#10.5/52.51/5.47`)
      await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
      expect(await page.getAttribute('html', 'lang')).toBe('en')
      expect(await page.textContent('#status')).toMatch(/^\d+ places on the map$/)
      expect(await page.textContent('#layer-title')).toBe('Map layer')
      expect(await page.textContent('#hex-legend')).toContain(
        'How far is the nearest meeting place? (in a straight line)',
      )
      expect(await page.textContent('#hex-legend')).toContain('400 m – 800 m ← threshold')
      // The API answers in English too: a refused save.
      await page.click('#add-place')
      await page.click('#map', { position: { x: 500, y: 400 } })
      await page.click('#add-form button[type=submit]')
      await page.waitForSelector('#err-name:not(:empty)')
      expect(await page.textContent('#add-summary')).toMatch(/[A-Za-z]/)
      expect(await page.textContent('#add-summary')).not.toMatch(/veld|niet/)
      await page.screenshot({ path: path.join(SCREENSHOTS, `english-${ctx().backend}.png`) })
      await page.click('#add-cancel')
      await page.click('#language')
      await page.waitForURL(/lang=nl/)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.textContent('#layer-title')).toBe('Kaartlaag')
      expect(await page.textContent('#status')).toMatch(/^\d+ plekken op de kaart$/)
      await page.close()
    })

    it('works on a phone: the panel is a bottom sheet over the map', async () => {
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      })
      const page = await phone.newPage()
      await page.goto(`${address()}/?layer=gap&threshold=800#9.5/52.45/5.45`)
      await page.waitForSelector('body[data-layer="gap"]', { timeout: 30_000 })
      expect(await page.isVisible('#sheet-handle')).toBe(true)
      const closed = await page.locator('.panel').boundingBox()
      expect(closed!.height).toBeLessThan(844 * 0.4 + 1)
      expect(closed!.y + closed!.height).toBeCloseTo(844, 0)
      await page.screenshot({ path: path.join(SCREENSHOTS, `phone-${ctx().backend}.png`) })
      await page.tap('#sheet-handle')
      await page.waitForFunction(
        () => (document.querySelector('.panel') as HTMLElement).offsetHeight > 844 * 0.6,
      )
      expect(await page.getAttribute('#sheet-handle', 'aria-expanded')).toBe('true')
      await page.screenshot({ path: path.join(SCREENSHOTS, `phone-open-${ctx().backend}.png`) })
      await phone.close()
    })

    it('puts the PDOK basemap beneath the layers when it can be reached', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      // A stand-in for the PDOK style (this machine has no internet): one water polygon.
      await page.route('https://api.pdok.nl/**', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            version: 8,
            sources: {
              water: {
                type: 'geojson',
                data: {
                  type: 'Polygon',
                  coordinates: [
                    [
                      [5.0, 52.4],
                      [5.6, 52.4],
                      [5.6, 52.8],
                      [5.0, 52.8],
                      [5.0, 52.4],
                    ],
                  ],
                },
              },
            },
            layers: [
              { id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } },
              { id: 'water', type: 'fill', source: 'water', paint: { 'fill-color': '#a9cbe8' } },
            ],
          }),
        }),
      )
      await page.goto(`${address()}/?layer=none`)
      await page.waitForSelector('body[data-basemap="pdok"]', { timeout: 30_000 })
      expect(await page.isHidden('#basemap-note')).toBe(true)
      await page.screenshot({ path: path.join(SCREENSHOTS, `basemap-${ctx().backend}.png`) })
      await page.close()
    })
  },
  {
    reset: 'none',
    setup: async (ctx) => {
      await loadRealAreas(ctx.handle, systemClock, ['gemeenten'])
      await seedIfEmpty(
        { db: ctx.handle.db, clock: ctx.clock, schemas: testSchemas },
        fs.readFileSync(SEED_FILE, 'utf8'),
      )
    },
  },
)

describeBackends(
  'loading real data on an empty installation, in Chromium',
  (ctx) => {
    const token = 'admin-token-for-the-browser-test-0123'
    let pdok: http.Server
    let pdokBase = ''
    beforeAll(async () => {
      // A stand-in for PDOK and Overpass (no internet here), built from the real Lelystad area.
      const lelystad = (
        JSON.parse(
          fs.readFileSync(requireSharedData('flevoland_gemeenten_2022.geojson'), 'utf8'),
        ) as { features: { geometry: unknown; properties: Record<string, unknown> }[] }
      ).features.find((f) => f.properties.code === 'GM0995')!
      pdok = http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x')
        const collection = /collections\/(\w+)\/items/.exec(url.pathname)?.[1]
        res.setHeader('content-type', 'application/json')
        if (collection) {
          const features =
            collection === 'gemeenten'
              ? [
                  {
                    type: 'Feature',
                    geometry: lelystad.geometry,
                    properties: {
                      gemeentecode: 'GM0995',
                      gemeentenaam: 'Lelystad',
                      water: 'NEE',
                      aantal_inwoners: lelystad.properties.population,
                    },
                  },
                ]
              : []
          res.end(JSON.stringify({ type: 'FeatureCollection', features, links: [] }))
          return
        }
        res.end(
          JSON.stringify({
            version: 0.6,
            osm3s: { timestamp_osm_base: '2026-11-01T00:00:00Z' },
            elements: [
              { type: 'node', id: 1, lat: 52.5185, lon: 5.47 },
              { type: 'node', id: 2, lat: 52.5195, lon: 5.472 },
              { type: 'node', id: 3, lat: 52.5205, lon: 5.474 },
              {
                type: 'node',
                id: 4,
                lat: 52.519,
                lon: 5.4715,
                tags: { amenity: 'cafe', name: 'Koffiehuis De Dijk' },
              },
              { type: 'way', id: 10, nodes: [1, 2, 3], tags: { highway: 'footway' } },
            ],
          }),
        )
      })
      await new Promise<void>((resolve) => pdok.listen(0, '127.0.0.1', resolve))
      pdokBase = `http://127.0.0.1:${(pdok.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise((resolve) => pdok.close(resolve)))
    const address = servedApp(ctx, () => ({
      adminToken: token,
      pdokUrl: `${pdokBase}/pdok/{year}`,
      overpassUrl: `${pdokBase}/overpass`,
      regionBbox: [4.95, 52.18, 6.1, 52.95],
      dataDir: path.join(os.tmpdir(), `buurtkaart-e2e-${process.pid}-${ctx().backend}`, 'pglite'),
    }))

    it('offers "load data for a region" on an empty installation and loads it with progress', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await page.goto(`${address()}/?layer=none`)
      await page.waitForSelector('#load-data:not([hidden])', { timeout: 30_000 })
      expect(await page.textContent('#load-intro')).toContain('Er zijn nog geen gebieden geladen')
      await page.fill('#load-gemeente', 'gm0995')
      await page.fill('#load-token', 'wrong-token')
      await page.click('#load-form button[type=submit]')
      await page.waitForSelector('#load-error:not(:empty)')
      expect(await page.textContent('#load-error')).toContain('beheerder')
      await page.fill('#load-token', token)
      await page.click('#load-form button[type=submit]')
      await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 })
      expect(await page.textContent('#load-progress')).toContain('Klaar')
      await page.screenshot({ path: path.join(SCREENSHOTS, `load-data-${ctx().backend}.png`) })
      // The page reloads itself: Lelystad is there, with the café from OpenStreetMap.
      await page.waitForFunction(
        () => document.querySelector('#load-data')?.hasAttribute('hidden'),
        null,
        {
          timeout: 30_000,
        },
      )
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.textContent('#status')).toBe('1 plek op de kaart')
      expect(await page.locator('#gemeente option[value="GM0995"]').count()).toBe(1)
      await page.close()
    })
  },
  { reset: 'all' },
)
