/**
 * The web app in real headless Chromium, against the real API and database. The suites run once
 * per backend, from map-pglite.test.ts and map-postgresql.test.ts, so the two can run side by side.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { sql } from 'kysely'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { projectRoot } from '../../api/config.js'
import { createApp } from '../../api/http/app.js'
import { listen } from '../../api/http/listen.js'
import { SEED_FILE } from '../../api/seed-file.js'
import { systemClock } from '../../api/domain/clock.js'
import { seedIfEmpty } from '../../api/services/seed.js'
import { createUser } from '../../api/services/users.js'
import {
  type TestContext,
  call,
  describeBackends,
  loadRealAreas,
  requireSharedData,
  TEST_CONFIG,
  testSchemas,
} from '../helpers/backends.js'
import { importOsmFile, loadSyntheticDelftAreas, NL } from '../helpers/osm.js'

const SCREENSHOTS = path.join(projectRoot, 'test-results')
const execFileAsync = promisify(execFile)
/** The web app as built for this test file (its own folder, so two files can build at once). */
const WEB_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-web-'))

let browser: Browser

/** Test accounts, one per role (and a second trusted one): `<key>@example.nl`. */
const PASSWORD = 'een lang wachtwoord 2026'
const USERS = {
  contributor: { display_name: 'Fatima', role: 'contributor' },
  trusted: { display_name: 'Jeroen', role: 'trusted' },
  trusted2: { display_name: 'Sanne', role: 'trusted' },
  moderator: { display_name: 'Marloes', role: 'moderator' },
  admin: { display_name: 'Beheer', role: 'admin' },
} as const
type Account = keyof typeof USERS

/** Makes the test accounts in a suite's database. */
async function createUsers(ctx: TestContext) {
  for (const [key, user] of Object.entries(USERS)) {
    await createUser(
      ctx.handle.db,
      { email: `${key}@example.nl`, password: PASSWORD, ...user },
      { actor: 'test', clock: ctx.clock },
    )
  }
}

/**
 * A browser context signed in as one of the test accounts (the session cookie lands in the
 * context), with the CSRF token for requests made through `context.request`.
 */
async function signedIn(
  address: string,
  account: Account,
  options: Parameters<Browser['newContext']>[0] = { viewport: { width: 1200, height: 900 } },
): Promise<{ context: BrowserContext; page: Page; csrf: string }> {
  const context = await browser.newContext(options)
  const res = await context.request.post(`${address}/api/auth/login`, {
    data: { email: `${account}@example.nl`, password: PASSWORD },
  })
  expect(res.status()).toBe(200)
  const { csrf_token } = (await res.json()) as { csrf_token: string }
  return { context, page: await context.newPage(), csrf: csrf_token }
}

/** The colour of one pixel of the page, read from a screenshot: [r, g, b, a]. */
async function pixelAt(page: Page, x: number, y: number): Promise<number[]> {
  const shot = await page.screenshot({ clip: { x, y, width: 1, height: 1 } })
  return pixelOf(page, shot, 0, 0)
}

/** The colour of pixel (x, y) of a PNG (a screenshot), decoded by the page: [r, g, b, a]. */
async function pixelOf(page: Page, png: Buffer, x: number, y: number): Promise<number[]> {
  return page.evaluate(
    async ([data, px, py]) => {
      const image = new Image()
      image.src = `data:image/png;base64,${data}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const c = canvas.getContext('2d')!
      c.drawImage(image, 0, 0)
      return [...c.getImageData(px, py, 1, 1).data]
    },
    [png.toString('base64'), x, y] as const,
  )
}

/**
 * Moves the pointer over the map at `points` in turn until the hexagon read-out shows text that
 * `wanted` accepts (default: any); returns the last read-out seen ('' when none showed).
 */
async function hoverReadout(
  page: Page,
  points: readonly (readonly [number, number])[],
  wanted: (text: string) => boolean = () => true,
): Promise<string> {
  let text = ''
  for (const [x, y] of points) {
    await page.mouse.move(x, y)
    await page.waitForTimeout(150)
    if (await page.isVisible('#readout')) {
      text = (await page.textContent('#readout')) ?? ''
      if (wanted(text)) break
    }
  }
  return text
}

/** Where the Lelystad views of the hexagon tests have populated cells. */
const LELYSTAD_POINTS = [
  [760, 400],
  [700, 350],
  [820, 450],
  [640, 420],
  [900, 380],
] as const

/** Collects console errors and page errors (a CSP violation is a console error). */
function watchErrors(page: Page) {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    // Chromium logs every refused request (a wrong password's 401; offline, the PDOK basemap).
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource:'))
      errors.push(m.text())
  })
  return errors
}

/**
 * Serves the suite's database through the real app (with the built web app) on a free port for
 * the browser, for the whole suite; returns a getter of its address.
 */
type AppConfig = Partial<Parameters<typeof createApp>[0]['config']>

function servedApp(ctx: () => TestContext, config: AppConfig | (() => AppConfig) = {}) {
  let base = ''
  let server: http.Server | undefined
  beforeAll(async () => {
    const app = createApp({
      db: ctx().handle.db,
      backend: ctx().backend,
      config: { ...TEST_CONFIG, ...(typeof config === 'function' ? config() : config) },
      clock: ctx().clock,
      webRoot: WEB_ROOT,
    })
    server = await new Promise<http.Server>((resolve) => {
      const s = listen(app, { port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  // The server is missing when the suite's set-up failed: nothing to close then.
  afterAll(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  )
  return () => base
}

beforeAll(async () => {
  await build({
    configFile: path.join(projectRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: WEB_ROOT, emptyOutDir: true },
  })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  fs.rmSync(WEB_ROOT, { recursive: true, force: true })
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
      // The seed places are known to their town or district only: counted when asked.
      await page.goto(
        `${address()}/?layer=distance&threshold=800&approximate=include#10.5/52.51/5.47`,
      )
      await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
      expect(await page.inputValue('#layer')).toBe('distance')
      expect(await page.isChecked('#approximate')).toBe(true)
      // 16 seed places; the planned Homerushuis does not count (active places only).
      await page.waitForFunction(() =>
        /^[\d.]+ cellen, 15 ontmoetingsplekken geteld$/.test(
          document.querySelector('#layer-status')?.textContent ?? '',
        ),
      )
      expect(await page.textContent('#hex-legend')).toContain('400 m – 800 m ← grens')
      // Hover the map until the pointer is over a populated cell.
      const text = await hoverReadout(page, LELYSTAD_POINTS)
      expect(text).toMatch(
        /^(<1|[\d.]+) inwoners?, [\d,]+ (m|km) hemelsbreed naar de dichtstbijzijnde ontmoetingsplek$/,
      )
      await page.screenshot({ path: path.join(SCREENSHOTS, `distance-${ctx().backend}.png`) })
      await page.selectOption('#layer', 'gap')
      await page.waitForSelector('body[data-layer="gap"]')
      expect(new URL(page.url()).searchParams.get('layer')).toBe('gap')
      expect(errors).toEqual([])
      await page.close()
    })

    it('draws the hexagons from vector tiles: no /api/hexes, a read-out on hover, no new TileJSON on pan and zoom', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      const errors = watchErrors(page)
      const requests: string[] = []
      page.on('request', (r) => requests.push(r.url()))
      const tileJsons = () => requests.filter((u) => new URL(u).pathname === '/tiles/cells.json')
      const tiles = () =>
        requests
          .map((u) => new URL(u))
          .filter((u) => /^\/tiles\/cells\/\d+\/\d+\/\d+\.mvt$/.test(u.pathname))
      const drawn = () =>
        page.waitForFunction(() =>
          /^[\d.]+ cellen, 15 ontmoetingsplekken geteld$/.test(
            document.querySelector('#layer-status')?.textContent ?? '',
          ),
        )
      await page.goto(
        `${address()}/?layer=distance&threshold=800&approximate=include#10.5/52.51/5.47`,
      )
      await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
      await drawn()
      // One TileJSON with the layer's parameters; its tiles carry the data version.
      expect(tileJsons()).toHaveLength(1)
      const asked = new URL(tileJsons()[0]!).searchParams
      expect(asked.get('metric')).toBe('distance')
      expect(asked.get('mode')).toBe('line')
      expect(asked.get('threshold')).toBe('800')
      expect(asked.has('res')).toBe(false)
      const first = tiles()
      expect(first.length).toBeGreaterThan(0)
      for (const u of first) {
        expect(u.searchParams.get('v')).toMatch(/^\d+(\.\d+)*$/)
        expect(u.searchParams.get('metric')).toBe('distance')
        expect(u.searchParams.get('threshold')).toBe('800')
      }
      // At zoom 10.5 the map asks for zoom-10 tiles (512 px each).
      expect(new Set(first.map((u) => u.pathname.split('/')[3]))).toEqual(new Set(['10']))
      // Hover until the pointer is over a populated cell; the read-out is that cell's values.
      const text = await hoverReadout(page, LELYSTAD_POINTS)
      const m =
        /^(<1|[\d.]+) inwoners?, ([\d,]+) (m|km) hemelsbreed naar de dichtstbijzijnde ontmoetingsplek$/.exec(
          text,
        )
      expect(m, text).not.toBeNull()
      // Shown as whole people; the hexagon holds a fraction.
      const inhabitants = m![1] === '<1' ? 0 : Number(m![1]!.replace(/\./g, ''))
      const shown = Number(m![2]!.replace(',', '.'))
      // The same figures as GET /api/hexes gives for a cell of this view (resolution 9 here).
      const res = await fetch(
        `${address()}/api/hexes?metric=distance&res=9&threshold=800&approximate=include&bbox=5.2,52.35,5.75,52.67`,
      )
      const hexes = (await res.json()) as { inhabitants: number[]; distanceM: (number | null)[] }
      const same = hexes.inhabitants.filter((n, i) => {
        const d = hexes.distanceM[i]
        if (Math.round(n) !== inhabitants || d === null || d === undefined) return false
        return m![3] === 'm' ? d === shown : Math.abs(d / 1000 - shown) <= 0.05 + 1e-9
      })
      expect(same.length).toBeGreaterThan(0)
      await page.mouse.move(5, 5)
      // Panning and zooming load tiles, never a new TileJSON and never /api/hexes.
      const before = requests.length
      await page.mouse.move(700, 400)
      await page.mouse.down()
      await page.mouse.move(400, 250, { steps: 8 })
      await page.mouse.up()
      await page.click('.maplibregl-ctrl-zoom-in')
      await page.waitForFunction(() => Number(location.hash.slice(1).split('/')[0]) >= 11.4)
      // Tiles are fetched in MapLibre's worker: read them from the page's requests.
      await expect
        .poll(() => requests.slice(before).some((u) => /\/tiles\/cells\/11\//.test(u)), {
          timeout: 15_000,
        })
        .toBe(true)
      await drawn()
      const later = requests.slice(before).map((u) => new URL(u))
      expect(later.filter((u) => /^\/tiles\/cells\/11\//.test(u.pathname)).length).toBeGreaterThan(
        0,
      )
      expect(later.filter((u) => u.pathname === '/tiles/cells.json')).toEqual([])
      expect(requests.filter((u) => new URL(u).pathname === '/api/hexes')).toEqual([])
      // Another threshold is another TileJSON, and tiles with that threshold.
      await page.selectOption('#threshold', '400')
      await expect
        .poll(() => tiles().some((u) => u.searchParams.get('threshold') === '400'), {
          timeout: 15_000,
        })
        .toBe(true)
      expect(tileJsons()).toHaveLength(2)
      expect(new URL(tileJsons()[1]!).searchParams.get('threshold')).toBe('400')
      expect(errors).toEqual([])
      await page.close()
    })

    it('draws the hexagon tiles at province and at town zoom', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      const errors = watchErrors(page)
      for (const [name, view] of [
        ['province', '8.6/52.55/5.55'],
        ['town', '13/52.515/5.475'],
      ] as const) {
        await page.goto(`${address()}/?layer=distance&threshold=800#${view}`)
        await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
        await page.waitForFunction(() =>
          /^[\d.]+ cellen, /.test(document.querySelector('#layer-status')?.textContent ?? ''),
        )
        const cells = Number(
          /^([\d.]+) cellen/
            .exec((await page.textContent('#layer-status')) ?? '')?.[1]
            ?.replace(/\./g, ''),
        )
        expect(cells, name).toBeGreaterThan(20)
        await page.screenshot({
          path: path.join(SCREENSHOTS, `hexes-${name}-${ctx().backend}.png`),
        })
      }
      expect(errors).toEqual([])
      await page.close()
    })

    it('says so when the hexagon layer cannot load: its TileJSON or its tiles', async () => {
      const failedText = 'Deze laag kon niet laden. Probeer het opnieuw.'
      for (const broken of ['**/tiles/cells.json?**', '**/tiles/cells/**']) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
        let refused = 0
        await page.route(broken, (route) => {
          refused++
          return route.abort('connectionrefused')
        })
        await page.goto(`${address()}/?layer=distance&threshold=800#10.5/52.51/5.47`)
        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
        await page.waitForFunction(
          (text) => document.querySelector('#layer-status')?.textContent === text,
          failedText,
        )
        expect(refused, broken).toBeGreaterThan(0)
        // Without a TileJSON there is no layer; without tiles the layer is there, but empty.
        if (broken.endsWith('.json?**')) {
          expect(await page.getAttribute('body', 'data-layer')).toBeNull()
        }
        await page.close()
      }
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
      expect(body).toMatch(
        /\d{1,2} [a-z]{3} 20\d\d: geïmporteerd door het startregister \(versie 1\)/,
      )
      // A visitor reads, but does not edit; contact details are not shown.
      expect(await page.locator('#place-edit').count()).toBe(0)
      expect(await page.locator('#place-delete').count()).toBe(0)
      expect(body).not.toContain('Contactpersoon')
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
      await page.goto(
        `${address()}/?layer=distance&area=GM0995&wheelchair=yes&approximate=include#10.5/52.51/5.47`,
      )
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
      const { context, page } = await signedIn(address(), 'trusted')
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
      await context.close()
    })

    it('makes a report from the area panel: a printable page, and a PDF with the same figure', async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const page = await context.newPage()
      const errors = watchErrors(page)
      await page.goto(`${address()}/?layer=none&area=GM0995`)
      await page.waitForSelector('body[data-area="GM0995"]', { timeout: 30_000 })
      const headline = ((await page.textContent('.headline')) ?? '').replace(/\s+/g, ' ')
      const share = /\(([\d,]+)%\)/.exec(headline)?.[1] ?? ''
      expect(share).not.toBe('')
      expect(await page.getAttribute('#report-link', 'href')).toBe(
        '/reports/GM0995?lang=nl&mode=line&threshold_line=800',
      )
      const [report] = await Promise.all([context.waitForEvent('page'), page.click('#report-link')])
      await report.waitForLoadState('load')
      expect(await report.textContent('h1')).toBe('Ontmoetingsplekken in Lelystad')
      expect(await report.textContent('#print-report')).toBe('Afdrukken of opslaan als PDF')
      const pdf = path.join(SCREENSHOTS, `report-${ctx().backend}.pdf`)
      await report.pdf({ path: pdf, format: 'A4' })
      const firstPage = (await execFileAsync('pdftotext', ['-l', '1', pdf, '-'])).stdout.replace(
        /\s+/g,
        ' ',
      )
      expect(firstPage).toContain('Lelystad')
      // The report writes the share with one decimal: "43,0%" for the panel's "43%".
      const oneDecimal = new Intl.NumberFormat('nl-NL', {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(Number(share.replace(',', '.')))
      expect(firstPage).toContain(`${oneDecimal}%`)
      await execFileAsync('pdftoppm', [
        '-r',
        '50',
        '-png',
        '-f',
        '1',
        '-l',
        '1',
        pdf,
        path.join(SCREENSHOTS, `report-${ctx().backend}`),
      ])
      expect(errors).toEqual([])
      await context.close()
    })

    it('tries a what-if: a proposed place in a gap, dragged, saved and in the report', async () => {
      const { context, page } = await signedIn(address(), 'trusted')
      const errors = watchErrors(page)
      const failed: string[] = []
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
      })
      await page.goto(`${address()}/?layer=gap&area=GM0995`)
      await page.waitForSelector('body[data-area="GM0995"][data-layer="gap"]', {
        timeout: 30_000,
      })
      // The largest gap: the map flies there, the gap in the middle.
      await page.click('button[data-gap="0"]')
      await page.waitForFunction(() => Number(location.hash.slice(1).split('/')[0]) >= 12.9)
      await page.click('#scenario-open')
      expect(await page.isVisible('#scenario')).toBe(true)
      expect(await page.inputValue('#scenario-kind')).toBe('living_room')
      expect(await page.textContent('#scenario-result')).toContain('Nog geen plek neergezet')
      const middle = { x: 320 + (1200 - 320) / 2, y: 450 }
      await page.mouse.click(middle.x, middle.y)
      await page.waitForSelector('#scenario-gain')
      const gainOf = async () => (await page.textContent('#scenario-gain')) ?? ''
      const first = await gainOf()
      expect(first).toMatch(/^\+[\d.]+ inwoners binnen 800 m hemelsbreed$/)
      const number = (text: string) => Number(/[\d.]+/.exec(text)?.[0].replaceAll('.', ''))
      expect(number(first)).toBeGreaterThan(0)
      expect(await page.textContent('#scenario-share')).toMatch(
        /^Nu [\d,]+% → met het scenario [\d,]+% van de [\d.]+ inwoners\.$/,
      )
      // The difference layer: the cells that come within reach, with a legend line.
      await page.waitForFunction(() => Number(document.body.dataset.scenarioCells) > 0)
      expect(await page.textContent('#scenario-legend')).toContain(
        'Komt binnen 800 m hemelsbreed door het scenario',
      )
      expect(await page.locator('.scenario-pin').count()).toBe(1)
      const url = new URL(page.url())
      expect(url.searchParams.get('whatif')).toBe('1')
      expect(url.searchParams.get('add')).toMatch(/^5\.\d+,52\.\d+,living_room$/)
      await page.screenshot({ path: path.join(SCREENSHOTS, `scenario-${ctx().backend}.png`) })
      // Drag the diamond: the figure follows while it moves, before it is dropped.
      const pin = (await page.locator('.scenario-pin').boundingBox())!
      const from = { x: pin.x + pin.width / 2, y: pin.y + pin.height / 2 }
      await page.mouse.move(from.x, from.y)
      await page.mouse.down()
      for (let step = 1; step <= 10; step++) {
        await page.mouse.move(from.x + step * 16, from.y + step * 9)
        await page.waitForTimeout(40)
      }
      await page.waitForFunction(
        (before) => document.querySelector('#scenario-gain')?.textContent !== before,
        first,
        { timeout: 10_000 },
      )
      await page.mouse.up()
      // The last answer is for where it was dropped (and the URL says where that is).
      await page.waitForFunction(
        (before) => new URL(location.href).searchParams.get('add') !== before,
        url.searchParams.get('add'),
      )
      await page.waitForTimeout(300)
      const dragged = await gainOf()
      expect(dragged).toMatch(/^\+[\d.]+ inwoners binnen 800 m hemelsbreed$/)
      expect(dragged).not.toBe(first)
      const moved = (await page.locator('.scenario-pin').boundingBox())!
      expect(moved.x - pin.x).toBeGreaterThan(100)
      await page.screenshot({
        path: path.join(SCREENSHOTS, `scenario-dragged-${ctx().backend}.png`),
      })
      // Saved under a name, then the report with the scenario.
      await page.click('#scenario-save button[type=submit]')
      expect(await page.textContent('#scenario-error')).toBe('Geef het scenario een naam.')
      await page.fill('#scenario-name', 'Huiskamer in het grootste gat')
      await page.click('#scenario-save button[type=submit]')
      await page.waitForSelector('#scenario-saved:not([hidden])')
      expect(await page.textContent('#toast')).toContain(
        'Opgeslagen: Huiskamer in het grootste gat',
      )
      const id = new URL(page.url()).searchParams.get('scenario') ?? ''
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
      expect(await page.getAttribute('#scenario-report', 'href')).toBe(
        `/reports/GM0995?lang=nl&mode=line&threshold_line=800&scenario=${id}`,
      )
      expect(await page.getAttribute('#report-link', 'href')).toContain(`scenario=${id}`)
      const [report] = await Promise.all([
        context.waitForEvent('page'),
        page.click('#scenario-report'),
      ])
      await report.waitForLoadState('load')
      const text = ((await report.textContent('main')) ?? '').replace(/\s+/g, ' ')
      expect(text).toContain('Wat als: Huiskamer in het grootste gat')
      // The report recomputes the scenario in full: the same gain as the live preview.
      expect(text).toContain(
        `Met de voorgestelde plek: ${dragged.slice(1).replace(' inwoners', ' inwoners erbij')}.`,
      )
      await report.close()
      // The URL is a permalink of the scenario: a reload brings it back, saved and all.
      await page.reload()
      await page.waitForSelector('#scenario-saved:not([hidden])', { timeout: 30_000 })
      await page.waitForSelector('#scenario-gain')
      expect(await gainOf()).toBe(dragged)
      expect(await page.locator('.scenario-pin').count()).toBe(1)
      expect(new URL(page.url()).searchParams.get('scenario')).toBe(id)
      // Leaving the scenario takes the diamond and the difference layer away.
      await page.click('#scenario-leave')
      expect(await page.locator('.scenario-pin').count()).toBe(0)
      await page.waitForSelector('body[data-scenario-cells="0"]')
      expect(new URL(page.url()).searchParams.get('whatif')).toBeNull()
      expect(await page.isHidden('#scenario')).toBe(true)
      expect(failed).toEqual([])
      expect(errors).toEqual([])
      await context.close()
    })

    it('lets a meeting place close in the scenario: who loses it, and back open', async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const page = await context.newPage()
      const errors = watchErrors(page)
      const res = await fetch(`${address()}/api/assets?q=${encodeURIComponent('Hof van Hestia')}`)
      const hestia = ((await res.json()) as { features: { id: string }[] }).features[0]!.id
      // A research place is known to its town only and does not count; someone found the address.
      const precision = (value: string) =>
        call(
          ctx().app,
          'PATCH',
          `/api/assets/${hestia}`,
          { properties: { location_precision: value } },
          { 'if-match': '*' },
        )
      expect((await precision('exact')).status).toBe(200)
      await page.goto(`${address()}/?layer=none&area=GM0995&whatif=1&place=${hestia}`)
      await page.waitForSelector('#place-scenario-close', { timeout: 30_000 })
      expect(await page.isVisible('#scenario')).toBe(true)
      await page.click('#place-scenario-close')
      await page.waitForSelector('#scenario-gain')
      expect(await page.textContent('#scenario-places')).toContain('Gaat dicht: Hof van Hestia')
      expect(await page.textContent('#scenario-gain')).toMatch(
        /^−[\d.]+ inwoners binnen 800 m hemelsbreed$/,
      )
      expect(await page.textContent('#scenario-legend')).toContain('Niet meer binnen de grens')
      await page.waitForFunction(() => Number(document.body.dataset.scenarioCells) > 0)
      expect(new URL(page.url()).searchParams.get('close')).toBe(hestia)
      expect(await page.isHidden('#place-scenario-close')).toBe(true)
      await page.click('#scenario-places button[data-reopen="0"]')
      await page.waitForSelector('body[data-scenario-cells="0"]')
      expect(await page.textContent('#scenario-result')).toContain('Nog geen plek neergezet')
      expect(new URL(page.url()).searchParams.get('close')).toBeNull()
      expect(errors).toEqual([])
      await context.close()
      expect((await precision('town')).status).toBe(200)
    })

    it('suggests where the next place should go; the first one gains in the scenario what it promised', async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const page = await context.newPage()
      const errors = watchErrors(page)
      await page.goto(`${address()}/?layer=gap&area=GM0995`)
      await page.waitForSelector('body[data-area="GM0995"]', { timeout: 30_000 })
      await page.click('#next-open')
      await page.waitForSelector('body[data-suggestions]')
      const gains = async () =>
        (await page.locator('#next-list .gain').allTextContents()).map((g) => {
          expect(g).toMatch(/^\+[\d.]+ inwoners$/)
          return Number(g.replace(/\D/g, ''))
        })
      const cells = await gains()
      expect(cells.length).toBe(5)
      expect(cells[0]).toBeGreaterThan(0)
      for (let i = 1; i < cells.length; i++) expect(cells[i]).toBeLessThanOrEqual(cells[i - 1]!)
      expect(await page.locator('.next-pin').count()).toBe(5)
      expect(await page.textContent('#next-list li:first-child .sub')).toMatch(/^lege plek/)
      await page.screenshot({ path: path.join(SCREENSHOTS, `next-${ctx().backend}.png`) })
      // Existing buildings instead: a school, church or canteen that is no meeting place yet.
      await page.check('input[name="next-candidates"][value="assets"]')
      await page.waitForFunction(
        () => document.querySelector('#next-status')?.textContent !== 'Zoeken…',
      )
      await page.waitForSelector('body[data-suggestions]')
      const buildings = await gains()
      for (let i = 1; i < buildings.length; i++)
        expect(buildings[i]).toBeLessThanOrEqual(buildings[i - 1]!)
      // Back to empty spots; the first one goes into the scenario with the same gain.
      await page.check('input[name="next-candidates"][value="cells"]')
      await page.waitForFunction(
        (n) => document.querySelectorAll('#next-list .gain').length === n,
        cells.length,
      )
      await page.waitForFunction(
        (first) => document.querySelector('#next-list .gain')?.textContent === first,
        (await page.locator('#next-list .gain').first().textContent()) ?? '',
      )
      const promised = (await page.textContent('#next-list li:first-child .gain')) ?? ''
      await page.click('#next-list li:first-child button')
      await page.waitForSelector('#scenario:not([hidden])')
      await page.waitForSelector('#scenario-gain')
      expect(await page.textContent('#scenario-gain')).toBe(`${promised} binnen 800 m hemelsbreed`)
      expect(await page.getAttribute('#next-list li:first-child button', 'aria-pressed')).toBe(
        'true',
      )
      expect(await page.locator('.scenario-pin').count()).toBe(1)
      await page.screenshot({
        path: path.join(SCREENSHOTS, `next-chosen-${ctx().backend}.png`),
      })
      // Removing the proposed place can be undone.
      await page.click('#scenario-places button[data-remove="0"]')
      expect(await page.locator('.scenario-pin').count()).toBe(0)
      await page.click('#toast-action')
      expect(await page.locator('.scenario-pin').count()).toBe(1)
      await page.waitForSelector('#scenario-gain')
      expect(await page.textContent('#scenario-gain')).toBe(`${promised} binnen 800 m hemelsbreed`)
      expect(errors).toEqual([])
      await context.close()
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
      await createUsers(ctx)
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
      const text = await hoverReadout(
        page,
        [
          [600, 400],
          [700, 350],
          [520, 450],
          [650, 300],
          [800, 420],
        ],
        (t) => t.includes('omweg'),
      )
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
      // Two people with the trusted role: their changes apply directly.
      const { context: a, page: pageA } = await signedIn(address(), 'trusted')
      const { context: b, page: pageB } = await signedIn(address(), 'trusted2')
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
      // Bringing a deleted place back (undo) is for moderators.
      const { context, page } = await signedIn(address(), 'moderator')
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
      await context.close()
    })

    it('keeps unsaved input: asks before closing, and brings it back after a reload', async () => {
      const { context, page } = await signedIn(address(), 'trusted')
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
      await context.close()
    })

    it('keeps a save made without connection and sends it when the connection is back', async () => {
      const { context, page } = await signedIn(address(), 'trusted')
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
      const { context, page, csrf } = await signedIn(address(), 'trusted')
      const res = await context.request.post(`${address()}/api/assets`, {
        headers: { 'x-csrf-token': csrf },
        data: {
          geometry: { type: 'Point', coordinates: [5.2, 52.37] },
          properties: { name, kind: 'initiative', description: '<b>vet</b>' },
        },
      })
      expect(res.status()).toBe(201)
      const created = (await res.json()) as { id: string }
      await page.goto(`${address()}/?layer=none&place=${created.id}`)
      await page.waitForSelector('#place-body h3', { timeout: 30_000 })
      expect(await page.textContent('#place-body h3')).toBe(name)
      expect(await page.textContent('#place-body p.description')).toBe('<b>vet</b>')
      await page.fill('#search', 'script')
      await page.waitForSelector('#search-results button')
      expect(await page.textContent('#search-results button')).toContain('<script>')
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined()
      await context.close()
    })

    it('switches between Dutch and English, numbers and API messages included', async () => {
      const { context, page } = await signedIn(address(), 'trusted')
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
      expect(await page.textContent('#account-title')).toBe('Your account')
      expect(await page.textContent('#account-role')).toBe('trusted contributor')
      await page.click('#add-cancel')
      await page.click('#language')
      await page.waitForURL(/lang=nl/)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.textContent('#layer-title')).toBe('Kaartlaag')
      expect(await page.textContent('#status')).toMatch(/^\d+ plekken op de kaart$/)
      await context.close()
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

    it('draws a large register from vector tiles: server clusters that zoom in on a click, a point opens its place, the list asks the API, an edit reloads the tiles', async () => {
      const golfslag = await idOf('Golfslag')
      // Every place (earlier tests of this suite may have added some), counted page by page.
      let total = 0
      for (let url: string | undefined = '/api/assets?limit=1000'; url;) {
        const body = (await (await fetch(address() + url)).json()) as {
          features: unknown[]
          links: { rel: string; href: string }[]
        }
        total += body.features.length
        url = body.links.find((l) => l.rel === 'next')?.href
      }
      expect(total).toBeGreaterThanOrEqual(16)
      // Where the server puts the cluster of the three Almere Haven places at zoom 10.
      const tileJson = (await (await fetch(`${address()}/tiles/assets.json`)).json()) as {
        tiles: string[]
      }
      const z = 10
      const n = 2 ** z
      const [lon0, lat0] = [5.2176, 52.333]
      const rad = (lat0 * Math.PI) / 180
      const tx = Math.floor(((lon0 + 180) / 360) * n)
      const ty = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
      const tileUrl = `${address()}${tileJson.tiles[0]!}`
        .replace('{z}', String(z))
        .replace('{x}', String(tx))
        .replace('{y}', String(ty))
      const layer = new VectorTile(
        new PbfReader(new Uint8Array(await (await fetch(tileUrl)).arrayBuffer())),
      ).layers.assets!
      const clusters = Array.from({ length: layer.length }, (_, i) => layer.feature(i))
        .filter((f) => f.properties.cluster === true)
        .map((f) => {
          const p = f.loadGeometry()[0]![0]!
          const fx = (tx + p.x / layer.extent) / n
          const fy = (ty + p.y / layer.extent) / n
          return {
            count: Number(f.properties.point_count),
            lon: fx * 360 - 180,
            lat: (Math.atan(Math.sinh(Math.PI * (1 - 2 * fy))) * 180) / Math.PI,
          }
        })
        .sort(
          (a, b) => Math.hypot(a.lon - lon0, a.lat - lat0) - Math.hypot(b.lon - lon0, b.lat - lat0),
        )
      const cluster = clusters[0]!
      expect(cluster.count).toBeGreaterThanOrEqual(3)

      // A moderator (who may delete and undo), with the tiles asked for by the URL.
      const { context, page } = await signedIn(address(), 'moderator')
      const errors = watchErrors(page)
      const failed: string[] = []
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
      })
      const requests: URL[] = []
      page.on('request', (r) => requests.push(new URL(r.url())))
      const assetTiles = () =>
        requests.filter((u) => /^\/tiles\/assets\/\d+\/\d+\/\d+\.mvt$/.test(u.pathname))
      const zoom = () => page.evaluate(() => Number(location.hash.slice(1).split('/')[0]))
      await page.goto(
        `${address()}/?layer=none&tiles=assets#${z}/${cluster.lat.toFixed(6)}/${cluster.lon.toFixed(6)}`,
      )
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.getAttribute('body', 'data-places')).toBe('tiles')
      // The count comes from the clusters of the zoom-0 tile.
      expect(await page.textContent('#status')).toBe(`${total} plekken op de kaart`)
      expect(new URL(page.url()).searchParams.get('tiles')).toBe('assets')
      await expect
        .poll(() => assetTiles().some((u) => u.pathname.startsWith(`/tiles/assets/${z}/`)), {
          timeout: 15_000,
        })
        .toBe(true)
      const firstVersion = assetTiles()[0]!.searchParams.get('v')
      expect(firstVersion).toMatch(/^\d+(\.\d+)*$/)
      // The cluster is drawn in the middle of the map (x 760: the panel takes 320 px): its
      // green disc below the white count.
      await expect
        .poll(
          async () => {
            const [r, g, b] = await pixelAt(page, 760, 459)
            return g! > 100 && g! > r! + 40 && g! > b!
          },
          { timeout: 15_000 },
        )
        .toBe(true)
      await page.screenshot({ path: path.join(SCREENSHOTS, `asset-tiles-${ctx().backend}.png`) })

      // A click on the cluster zooms in two levels, centred on it; the list follows the move.
      const listAfterMove = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/assets')
      await page.mouse.click(760, 450)
      await page.waitForFunction(
        (to) => Number(location.hash.slice(1).split('/')[0]) >= to,
        z + 1.99,
      )
      expect(await zoom()).toBeCloseTo(z + 2, 1)
      const [, lat, lon] = (await page.evaluate(() => location.hash.slice(1)))
        .split('/')
        .map(Number)
      expect(Math.abs(lat! - cluster.lat)).toBeLessThan(0.002)
      expect(Math.abs(lon! - cluster.lon)).toBeLessThan(0.002)

      // The list of places in view is the API's answer for the view after the move (by name).
      const answer = (await (await listAfterMove).json()) as {
        features: { properties: { name: string } }[]
      }
      const expected = answer.features.map((f) => f.properties.name)
      await page.click('#list summary')
      const listedNames = () =>
        page
          .locator('#list-items button')
          .evaluateAll((buttons) => buttons.map((b) => b.firstChild?.textContent ?? ''))
      await expect.poll(listedNames).toEqual(expected)
      const names = await listedNames()
      expect(names).toEqual(expect.arrayContaining(['Schakelteam De Schoor', 'The Green Story']))
      expect(names).not.toContain('Golfslag woonzorglocatie')
      expect(await page.textContent('#list-count')).toBe(`${names.length} plekken in beeld`)
      const lists = requests.filter((u) => u.pathname === '/api/assets')
      expect(lists.length).toBeGreaterThan(0)
      for (const u of lists) {
        expect(u.searchParams.get('limit')).toBe('100')
        expect(u.searchParams.get('bbox')).toMatch(/^[\d.-]+,[\d.-]+,[\d.-]+,[\d.-]+$/)
      }

      // A point at street level opens its place.
      await page.evaluate(() => (location.hash = '#15/52.7105/5.748'))
      await page.waitForFunction(() => location.hash.startsWith('#15/'))
      await expect
        .poll(() => assetTiles().some((u) => u.pathname.startsWith('/tiles/assets/15/')), {
          timeout: 15_000,
        })
        .toBe(true)
      await page.waitForFunction(() =>
        [...document.querySelectorAll('#list-items button')].some((b) =>
          b.textContent?.startsWith('Golfslag'),
        ),
      )
      await page.waitForTimeout(300)
      await page.mouse.click(760, 450)
      await page.waitForSelector(`body[data-place="${golfslag}"]`, { timeout: 15_000 })
      expect(await page.textContent('#place-body h3')).toBe('Golfslag woonzorglocatie')
      expect(await page.textContent('#list-count')).toBe('1 plekken in beeld')

      // An edit: a new TileJSON (one more request for it) and tiles of the new data version.
      const tileJsons = () => requests.filter((u) => u.pathname === '/tiles/assets.json').length
      const jsonsBefore = tileJsons()
      await page.click('#place-delete')
      await page.click('#place-delete-yes')
      await page.waitForSelector('#toast:has-text("Verwijderd: Golfslag woonzorglocatie")')
      await page.waitForFunction(
        (n) => document.querySelector('#status')?.textContent === `${n} plekken op de kaart`,
        total - 1,
      )
      expect(tileJsons()).toBe(jsonsBefore + 1)
      await expect
        .poll(
          () =>
            assetTiles().some(
              (u) =>
                u.pathname.startsWith('/tiles/assets/15/') &&
                u.searchParams.get('v') !== firstVersion,
            ),
          { timeout: 15_000 },
        )
        .toBe(true)
      await page.click('#toast-action')
      await page.waitForSelector('#toast:has-text("Ongedaan gemaakt")')
      await page.waitForFunction(
        (n) => document.querySelector('#status')?.textContent === `${n} plekken op de kaart`,
        total,
      )

      // Never the whole register as GeoJSON pages.
      expect(
        requests.filter(
          (u) => u.pathname === '/api/assets' && u.searchParams.get('limit') === '1000',
        ),
      ).toEqual([])
      expect(requests.filter((u) => u.searchParams.has('cursor'))).toEqual([])
      expect(errors).toEqual([])
      expect(failed).toEqual([])
      await context.close()
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
      await createUsers(ctx)
    },
  },
)

describeBackends(
  'accounts, moderation and history in Chromium',
  (ctx) => {
    const address = servedApp(ctx)

    /** A seed place by name: its id and position. */
    const placeOf = async (name: string) => {
      const res = await fetch(`${address()}/api/assets?q=${encodeURIComponent(name)}`)
      const body = (await res.json()) as {
        features: { id: string; geometry: { coordinates: [number, number] } }[]
      }
      const found = body.features[0]!
      return {
        id: found.id,
        lon: found.geometry.coordinates[0],
        lat: found.geometry.coordinates[1],
      }
    }

    /** Changes a setting as the administrator, through the API. */
    const setting = async (patch: Record<string, unknown>) => {
      const admin = await signedIn(address(), 'admin')
      const res = await admin.context.request.patch(`${address()}/api/settings`, {
        headers: { 'x-csrf-token': admin.csrf },
        data: patch,
      })
      expect(res.status()).toBe(200)
      await admin.context.close()
    }

    it('signs in through the form and out; a visitor gets a hint instead of edit buttons', async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const page = await context.newPage()
      const errors = watchErrors(page)
      await page.goto(`${address()}/?layer=none`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.isHidden('#add-place')).toBe(true)
      expect(await page.isHidden('#suggest-place')).toBe(true)
      expect(await page.textContent('#login-hint')).toContain('Log in om plekken toe te voegen.')
      expect(await page.isHidden('#account')).toBe(true)
      await page.click('#login-open')
      expect(await page.isVisible('#login-form')).toBe(true)
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-email')
      await page.click('#login-submit')
      expect(await page.textContent('#login-error')).toBe('Vul uw e-mailadres en uw wachtwoord in.')
      await page.fill('#login-email', 'contributor@example.nl')
      await page.fill('#login-password', 'niet het goede wachtwoord')
      await page.click('#login-submit')
      await page.waitForSelector('#login-error:not(:empty)')
      expect(await page.textContent('#login-error')).toBe(
        'Het e-mailadres of het wachtwoord klopt niet.',
      )
      await page
        .locator('.panel')
        .screenshot({ path: path.join(SCREENSHOTS, `login-error-${ctx().backend}.png`) })
      await page.fill('#login-password', PASSWORD)
      await page.click('#login-submit')
      await page.waitForSelector('#account-info:not([hidden])')
      expect(await page.textContent('#account-name')).toBe('Fatima')
      expect(await page.textContent('#account-role')).toBe('bijdrager')
      expect(await page.isVisible('#add-place')).toBe(true)
      expect(await page.isHidden('#login-hint')).toBe(true)
      expect(await page.isHidden('#login-open')).toBe(true)
      expect(await page.getAttribute('#my-data', 'href')).toBe('/api/me/export')
      await page.waitForSelector('#my-proposals-list li')
      expect(await page.textContent('#my-proposals')).toContain(
        'U heeft nog geen voorstellen gedaan.',
      )
      await page
        .locator('.panel')
        .screenshot({ path: path.join(SCREENSHOTS, `account-${ctx().backend}.png`) })
      // The session holds across a reload (the cookie), and the download is one's own data.
      await page.reload()
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.textContent('#account-name')).toBe('Fatima')
      const exported = await context.request.get(`${address()}/api/me/export`)
      expect(((await exported.json()) as { account: { email: string } }).account.email).toBe(
        'contributor@example.nl',
      )
      await page.click('#logout')
      await page.waitForSelector('#login-open:not([hidden])')
      await page.waitForSelector('#toast:has-text("U bent uitgelogd.")')
      expect(await page.isHidden('#add-place')).toBe(true)
      expect(await page.isHidden('#my-proposals')).toBe(true)
      const me = await context.request.get(`${address()}/api/auth/me`)
      expect(((await me.json()) as { user: unknown }).user).toBeNull()

      // "Overal uitloggen" ends the sessions on other devices too: a save there asks to sign in
      // again, and nothing typed is lost.
      const other = await signedIn(address(), 'contributor')
      await other.page.goto(`${address()}/?layer=none#15/52.512/5.49`)
      await other.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await other.page.click('#add-place')
      await other.page.mouse.click(320 + (1200 - 320) / 2, 450)
      await other.page.fill('#add-name', 'Bank aan het water')
      await other.page.check('#add-kinds input[value="bench"]')
      await page.click('#login-open')
      await page.fill('#login-email', 'contributor@example.nl')
      await page.fill('#login-password', PASSWORD)
      await page.press('#login-password', 'Enter')
      await page.waitForSelector('#account-info:not([hidden])')
      // A script's API token of this account; the checkbox revokes it with the sessions.
      const { csrf_token: csrf } = (await (
        await context.request.get(`${address()}/api/auth/me`)
      ).json()) as { csrf_token: string }
      const made = await context.request.post(`${address()}/api/tokens`, {
        headers: { 'x-csrf-token': csrf },
        data: { name: 'script' },
      })
      const bearer = {
        authorization: `Bearer ${((await made.json()) as { secret: string }).secret}`,
      }
      expect((await fetch(`${address()}/api/auth/me`, { headers: bearer })).status).toBe(200)
      expect(await page.textContent('label:has(#logout-all-tokens)')).toContain(
        'Ook mijn API-tokens intrekken',
      )
      await page.check('#logout-all-tokens')
      await page.click('#logout-all')
      await page.waitForSelector(
        '#toast:has-text("U bent overal uitgelogd. Uw API-tokens zijn ingetrokken.")',
      )
      expect((await fetch(`${address()}/api/auth/me`, { headers: bearer })).status).toBe(401)
      const elsewhere = await other.context.request.get(`${address()}/api/auth/me`)
      expect(((await elsewhere.json()) as { user: unknown }).user).toBeNull()
      await other.page.click('#add-form button[type=submit]')
      await other.page.waitForSelector('#account-intro:has-text("Log eerst in om dit te doen.")')
      expect(await other.page.isVisible('#login-form')).toBe(true)
      expect(await other.page.evaluate(() => document.activeElement?.id)).toBe('login-email')
      expect(await other.page.inputValue('#add-name')).toBe('Bank aan het water')
      await other.page.fill('#login-email', 'contributor@example.nl')
      await other.page.fill('#login-password', PASSWORD)
      await other.page.click('#login-submit')
      await other.page.waitForSelector('#account-info:not([hidden])')
      expect(await other.page.isVisible('#add')).toBe(true)
      expect(await other.page.inputValue('#add-name')).toBe('Bank aan het water')
      await other.page.click('#add-cancel')
      await other.page.click('#add-unsaved-discard')
      expect(errors).toEqual([])
      await other.context.close()
      await context.close()
    })

    it('a contributor proposes a place; a moderator sees it in the queue with its fields and approves it', async () => {
      const fatima = await signedIn(address(), 'contributor')
      const errors = watchErrors(fatima.page)
      await fatima.page.goto(`${address()}/?layer=none#15/52.512/5.49`)
      await fatima.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      const count = (await fatima.page.textContent('#status')) ?? ''
      await fatima.page.click('#add-place')
      expect(await fatima.page.textContent('#add-form button[type=submit]')).toBe(
        'Voorstel versturen',
      )
      await fatima.page.mouse.click(320 + (1200 - 320) / 2, 450)
      await fatima.page.fill('#add-name', 'Buurtkamer De Wissel')
      await fatima.page.check('#add-kinds input[value="living_room"]')
      await fatima.page.click('#add-form summary')
      await fatima.page.fill('#add-address', 'Wisselweg 1, Lelystad')
      await fatima.page.click('#add-form button[type=submit]')
      await fatima.page.waitForSelector(
        '#toast:has-text("Uw voorstel is verstuurd. Een moderator bekijkt het.")',
      )
      expect(await fatima.page.textContent('#toast')).not.toContain('Opgeslagen')
      // Nothing changed on the map: the place waits for a moderator.
      expect(await fatima.page.isHidden('#add')).toBe(true)
      expect(await fatima.page.textContent('#status')).toBe(count)
      const search = async () =>
        (
          (await (await fetch(`${address()}/api/assets?q=Wissel`)).json()) as {
            features: { id: string }[]
          }
        ).features
      expect(await search()).toHaveLength(0)
      await fatima.page.waitForSelector('#my-proposals-list li:has-text("Buurtkamer De Wissel")')
      expect(await fatima.page.textContent('#my-proposals-list')).toContain(
        'Nieuwe plek: Buurtkamer De Wissel wacht op een moderator',
      )

      const marloes = await signedIn(address(), 'moderator')
      errors.push(...watchErrors(marloes.page))
      await marloes.page.goto(`${address()}/?layer=none`)
      await marloes.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      const item = marloes.page.locator('#moderation-list button:has-text("Buurtkamer De Wissel")')
      await item.waitFor()
      expect(await item.textContent()).toMatch(
        /^Nieuwe plek: Buurtkamer De Wisseldoor Fatima, \d{1,2} [a-z]{3} 20\d\d$/,
      )
      expect(await marloes.page.textContent('#moderation-count')).toBe(
        '1 voorstel wacht op een besluit.',
      )
      await item.click()
      await marloes.page.waitForSelector('#proposal-detail table.diff')
      // Per field: its name, (as it is now,) as proposed.
      const rows = await marloes.page.$$eval('#proposal-detail tbody', (groups) =>
        groups.map((g) => [...g.querySelectorAll('th, td')].map((c) => c.textContent)),
      )
      // A new place: no "now" column, only what is proposed.
      expect(rows).toContainEqual(['Naam', 'Buurtkamer De Wissel'])
      expect(rows).toContainEqual(['Adres', 'Wisselweg 1, Lelystad'])
      expect(rows).toContainEqual(['Soort', 'Huiskamer van de wijk / inloop'])
      expect(rows).toContainEqual(['Plek op de kaart', 'paarse stip'])
      expect(await marloes.page.textContent('#proposal-detail')).toContain(
        'Paarse stip: het voorstel',
      )
      await marloes.page.waitForTimeout(800)
      await marloes.page.screenshot({
        path: path.join(SCREENSHOTS, `moderation-new-${ctx().backend}.png`),
      })
      await marloes.page.click('#proposal-approve')
      await marloes.page.waitForSelector('#toast:has-text("Goedgekeurd: Buurtkamer De Wissel")')
      await marloes.page.waitForFunction(
        () => document.querySelector('#place-body h3')?.textContent === 'Buurtkamer De Wissel',
      )
      expect(await marloes.page.textContent('#moderation-count')).toBe(
        'Er zijn geen voorstellen om te beoordelen.',
      )
      const history = (await marloes.page.textContent('#place-history')) ?? ''
      expect(history).toMatch(/toegevoegd door Fatima \(versie 1\) via een voorstel/)
      expect(await search()).toHaveLength(1)
      await marloes.page.waitForFunction(
        (before) => document.querySelector('#status')?.textContent !== before,
        count,
      )

      // The contributor sees what became of it.
      await fatima.page.reload()
      await fatima.page.waitForSelector('#my-proposals-list li:has-text("goedgekeurd")', {
        timeout: 30_000,
      })
      expect(errors).toEqual([])
      await fatima.context.close()
      await marloes.context.close()
    })

    it('a contributor proposes a move; the moderator sees both positions and rejects it with a reason the contributor reads', async () => {
      const place = await placeOf('Festivalplein')
      const fatima = await signedIn(address(), 'contributor')
      await fatima.page.goto(
        `${address()}/?layer=none&place=${place.id}#16/${place.lat}/${place.lon}`,
      )
      await fatima.page.waitForSelector('#place-body h3:has-text("Festivalplein")', {
        timeout: 30_000,
      })
      await fatima.page.waitForSelector('body[data-ready="true"]')
      await fatima.page.click('#place-edit')
      // Drag the pin 120 px to the right and 60 px down.
      const pin = (await fatima.page.locator('.maplibregl-marker').boundingBox())!
      const x = pin.x + pin.width / 2
      const y = pin.y + pin.height - 6
      await fatima.page.mouse.move(x, y)
      await fatima.page.mouse.down()
      await fatima.page.mouse.move(x + 60, y + 30, { steps: 4 })
      await fatima.page.mouse.move(x + 120, y + 60, { steps: 4 })
      await fatima.page.mouse.up()
      await fatima.page.fill('#add-name', 'Festivalplein (bij de haven)')
      await fatima.page.click('#add-form button[type=submit]')
      await fatima.page.waitForSelector(
        '#toast:has-text("Uw voorstel is verstuurd. Een moderator bekijkt het.")',
      )
      // The place is shown as it still is.
      await fatima.page.waitForSelector('#place-body h3')
      expect(await fatima.page.textContent('#place-body h3')).toBe('Festivalplein')

      const marloes = await signedIn(address(), 'moderator')
      await marloes.page.goto(`${address()}/?layer=none#10/52.5/5.4`)
      await marloes.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      const item = marloes.page.locator(
        '#moderation-list button:has-text("Wijziging: Festivalplein (bij de haven)")',
      )
      await item.click()
      await marloes.page.waitForSelector('#proposal-detail table.diff')
      // Per field: its name, (as it is now,) as proposed.
      const rows = await marloes.page.$$eval('#proposal-detail tbody', (groups) =>
        groups.map((g) => [...g.querySelectorAll('th, td')].map((c) => c.textContent)),
      )
      expect(rows).toContainEqual(['Naam', 'Festivalplein', 'Festivalplein (bij de haven)'])
      const moved = rows.find((r) => r[0] === 'Plek op de kaart')
      expect(moved?.[1]).toBe('grijze stip')
      expect(moved?.[2]).toMatch(/^\d+ m verplaatst \(paarse stip\)$/)
      expect(rows).toHaveLength(2)
      expect(await marloes.page.textContent('#proposal-detail')).toContain(
        'Grijze stip: waar de plek nu is',
      )
      // The map fits both positions.
      await marloes.page.waitForFunction(
        () => Number(location.hash.slice(1).split('/')[0]) >= 14,
        undefined,
        { timeout: 10_000 },
      )
      await marloes.page.waitForTimeout(400)
      await marloes.page.screenshot({
        path: path.join(SCREENSHOTS, `moderation-move-${ctx().backend}.png`),
      })
      await marloes.page.click('#proposal-reject')
      await marloes.page.click('#reject-form button[type=submit]')
      expect(await marloes.page.textContent('#reject-error')).toBe(
        'Schrijf eerst op waarom u het voorstel afwijst.',
      )
      await marloes.page.fill(
        '#reject-reason',
        'Het plein ligt echt hier; verplaatsen is niet nodig.',
      )
      await marloes.page.click('#reject-form button[type=submit]')
      await marloes.page.waitForSelector('#toast:has-text("Afgewezen. De indiener ziet uw reden.")')
      expect(await marloes.page.isHidden('#proposal-detail')).toBe(true)
      const now = (await (await fetch(`${address()}/api/assets/${place.id}`)).json()) as {
        properties: { name: string; version: number }
      }
      expect(now.properties).toMatchObject({ name: 'Festivalplein', version: 1 })

      await fatima.page.reload()
      const mine = fatima.page.locator('#my-proposals-list li:has-text("Festivalplein")')
      await mine.waitFor({ timeout: 30_000 })
      expect(await mine.textContent()).toContain('afgewezen')
      expect(await mine.textContent()).toContain(
        'Reden: Het plein ligt echt hier; verplaatsen is niet nodig.',
      )
      await fatima.page
        .locator('#my-proposals')
        .screenshot({ path: path.join(SCREENSHOTS, `my-proposals-${ctx().backend}.png`) })
      await fatima.context.close()
      await marloes.context.close()
    })

    it('says so when a proposal no longer fits because the place changed meanwhile (409)', async () => {
      const place = await placeOf('Oosterwold')
      const fatima = await signedIn(address(), 'contributor')
      const proposed = await fatima.context.request.patch(`${address()}/api/assets/${place.id}`, {
        headers: { 'x-csrf-token': fatima.csrf, 'if-match': '"v1"' },
        data: { properties: { name: 'Oosterwold (Almere)' } },
      })
      expect(proposed.status()).toBe(202)
      const jeroen = await signedIn(address(), 'trusted')
      const changed = await jeroen.context.request.patch(`${address()}/api/assets/${place.id}`, {
        headers: { 'x-csrf-token': jeroen.csrf, 'if-match': '"v1"' },
        data: { properties: { name: 'Oosterwold (stadsdeel)' } },
      })
      expect(changed.status()).toBe(200)
      const marloes = await signedIn(address(), 'moderator')
      await marloes.page.goto(`${address()}/?layer=none`)
      await marloes.page.click('#moderation-list button:has-text("Oosterwold (Almere)")', {
        timeout: 30_000,
      })
      await marloes.page.click('#proposal-approve')
      await marloes.page.waitForSelector('#proposal-error:not(:empty)')
      expect(await marloes.page.textContent('#proposal-error')).toBe(
        'Iemand heeft deze plek intussen gewijzigd. Het voorstel past daardoor niet meer. Bekijk de plek en wijs het voorstel zo nodig af.',
      )
      // Still in the queue, to be rejected with a reason.
      await marloes.page.click('#proposal-reject')
      await marloes.page.fill('#reject-reason', 'De naam is intussen al aangepast.')
      await marloes.page.click('#reject-form button[type=submit]')
      await marloes.page.waitForSelector('#toast:has-text("Afgewezen")')
      for (const c of [fatima, jeroen, marloes]) await c.context.close()
    })

    it('asks to wait after too many failed logins (429)', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await page.goto(`${address()}/?layer=none`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      await page.click('#login-open')
      await page.fill('#login-email', 'trusted2@example.nl')
      let text = ''
      for (let i = 0; i < 8 && !text.includes('Te veel'); i++) {
        await page.fill('#login-password', `fout wachtwoord ${i}`)
        await page.click('#login-submit')
        await page.waitForFunction(
          () => document.querySelector<HTMLButtonElement>('#login-submit')?.disabled === false,
        )
        text = (await page.textContent('#login-error')) ?? ''
      }
      expect(text).toMatch(
        /^Te veel mislukte pogingen\. Wacht \d+ (seconden?|minuten) en probeer het dan opnieuw\.$/,
      )
      await page.close()
    })

    it('shows who changed what in the history; a moderator puts a place back to an earlier version', async () => {
      const place = await placeOf('Golfslag')
      const jeroen = await signedIn(address(), 'trusted')
      const patch = async (version: number, properties: Record<string, unknown>) => {
        const res = await jeroen.context.request.patch(`${address()}/api/assets/${place.id}`, {
          headers: { 'x-csrf-token': jeroen.csrf, 'if-match': `"v${version}"` },
          data: { properties },
        })
        expect(res.status()).toBe(200)
      }
      await patch(1, { name: 'Golfslag Emmeloord', address: 'Golfslag 1, Emmeloord' })
      await patch(2, { opening_hours: 'Mo-Fr 09:00-17:00' })
      // A trusted contributor reads the history but does not revert.
      await jeroen.page.goto(`${address()}/?layer=none&place=${place.id}`)
      await jeroen.page.waitForSelector('#place-history li', { timeout: 30_000 })
      expect(await jeroen.page.locator('button[data-revert]').count()).toBe(0)

      const marloes = await signedIn(address(), 'moderator')
      await marloes.page.goto(`${address()}/?layer=none&place=${place.id}`)
      await marloes.page.waitForSelector('#place-history li', { timeout: 30_000 })
      const lines = await marloes.page.$$eval('#place-history li', (lis) =>
        lis.map((li) => li.textContent ?? ''),
      )
      expect(lines).toHaveLength(3)
      expect(lines[0]).toMatch(
        /^\d{1,2} [a-z]{3} 20\d\d: gewijzigd door Jeroen \(versie 3\) \(huidige versie\)Gewijzigd: Openingstijden$/,
      )
      expect(lines[1]).toContain('gewijzigd door Jeroen (versie 2)')
      expect(lines[1]).toContain('Gewijzigd: Naam, Adres')
      expect(lines[1]).toContain('Terugzetten naar deze versie')
      expect(lines[2]).toContain('geïmporteerd door het startregister (versie 1)')
      expect(await marloes.page.locator('button[data-revert]').count()).toBe(2)
      await marloes.page.click('button[data-revert="1"]')
      const confirm = marloes.page.locator('li[data-version="1"] #revert-confirm')
      await confirm.waitFor()
      expect(await confirm.textContent()).toContain(
        'De plek terugzetten naar versie 1? Dat wordt een nieuwe versie: er gaat niets verloren.',
      )
      await marloes.page
        .locator('#place')
        .screenshot({ path: path.join(SCREENSHOTS, `history-${ctx().backend}.png`) })
      await marloes.page.click('#revert-yes')
      await marloes.page.waitForSelector('#toast:has-text("Teruggezet naar versie 1.")')
      await marloes.page.waitForFunction(
        () => document.querySelector('#place-body h3')?.textContent === 'Golfslag woonzorglocatie',
      )
      const first = (await marloes.page.textContent('#place-history li')) ?? ''
      expect(first).toContain('naar een eerdere versie teruggezet door Marloes (versie 4)')
      expect(first).toContain('Gewijzigd: Naam, Adres, Openingstijden')
      const history = (await (
        await fetch(`${address()}/api/assets/${place.id}/history`)
      ).json()) as { entries: { version: number; action: string }[] }
      expect(history.entries.map((e) => e.action)).toEqual(['import', 'update', 'update', 'revert'])
      await jeroen.context.close()
      await marloes.context.close()
    })

    it('marks a place not checked for a long time; a trusted contributor checks it', async () => {
      const place = await placeOf('Duifstraat')
      await sql`update assets set verified_at = ${'2024-01-15T10:00:00Z'} where id = ${place.id}`.execute(
        ctx().handle.db,
      )
      const visitor = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await visitor.goto(`${address()}/?layer=none&place=${place.id}#15/${place.lat}/${place.lon}`)
      await visitor.waitForSelector('#place-verified', { timeout: 30_000 })
      expect(await visitor.textContent('#place-verified')).toBe(
        'Mogelijk verouderd (laatst gecontroleerd op 15 jan 2024)',
      )
      expect(await visitor.locator('#place-verify').count()).toBe(0)
      await visitor.waitForSelector('body[data-ready="true"]')
      await visitor.waitForTimeout(500)
      // The orange mark at the place's icon (the place is in the middle of the map), read from
      // the screenshot: 8 px right of and 8 px above the icon's centre.
      const shot = await visitor.screenshot({
        path: path.join(SCREENSHOTS, `outdated-mark-${ctx().backend}.png`),
        clip: { x: 760 - 60, y: 450 - 60, width: 120, height: 120 },
      })
      const pixel = await pixelOf(visitor, shot, 60 + 8, 60 - 8)
      // #f08c00: orange, a strong red, some green, no blue.
      expect(pixel[0]).toBeGreaterThan(200)
      expect(pixel[1]).toBeGreaterThan(100)
      expect(pixel[1]).toBeLessThan(180)
      expect(pixel[2]).toBeLessThan(60)
      await visitor.close()

      const jeroen = await signedIn(address(), 'trusted')
      await jeroen.page.goto(`${address()}/?layer=none&place=${place.id}`)
      await jeroen.page.waitForSelector('#place-verify', { timeout: 30_000 })
      await jeroen.page.click('#place-verify')
      await jeroen.page.waitForSelector('#toast:has-text("Gecontroleerd: Duifstraat")')
      await jeroen.page.waitForFunction(() =>
        /^Gecontroleerd door vertrouwde bijdrager op \d{1,2} [a-z]{3} 20\d\d$/.test(
          document.querySelector('#place-verified')?.textContent ?? '',
        ),
      )
      const now = (await (await fetch(`${address()}/api/assets/${place.id}`)).json()) as {
        properties: Record<string, unknown>
      }
      expect(now.properties).toMatchObject({
        possibly_outdated: false,
        verified_by_role: 'trusted',
      })
      expect(await jeroen.page.textContent('#place-history li')).toMatch(
        /: gecontroleerd door Jeroen \(versie 2\)/,
      )
      await jeroen.page
        .locator('#place')
        .screenshot({ path: path.join(SCREENSHOTS, `verified-${ctx().backend}.png`) })
      await jeroen.context.close()
    })

    it('keeps contact details for signed-in people: in the form and in the place panel', async () => {
      const place = await placeOf('The Green Story')
      const jeroen = await signedIn(address(), 'trusted')
      await jeroen.page.goto(`${address()}/?layer=none&place=${place.id}`)
      await jeroen.page.waitForSelector('#place-edit', { timeout: 30_000 })
      await jeroen.page.click('#place-edit')
      await jeroen.page.click('#add-form summary')
      expect(await jeroen.page.isVisible('#add-contact')).toBe(true)
      await jeroen.page.fill('#add-contact_name', 'Anna de Vries')
      await jeroen.page.fill('#add-contact_email', 'anna@')
      await jeroen.page.fill('#add-contact_phone', '06 1234 5678')
      await jeroen.page.click('#add-form button[type=submit]')
      await jeroen.page.waitForSelector('#err-contact_email:not(:empty)')
      expect(await jeroen.page.textContent('#err-contact_email')).toBe(
        'Geen e-mailadres (naam@voorbeeld.nl).',
      )
      await jeroen.page.fill('#add-contact_email', 'anna@example.nl')
      await jeroen.page.click('#add-form button[type=submit]')
      await jeroen.page.waitForSelector('#toast:has-text("Opgeslagen: The Green Story")')
      await jeroen.page.waitForSelector('#place-body a[href="mailto:anna@example.nl"]')
      const body = (await jeroen.page.textContent('#place-body')) ?? ''
      expect(body).toContain('ContactpersoonAnna de Vries')
      expect(await jeroen.page.getAttribute('#place-body a[href^="tel:"]', 'href')).toBe(
        'tel:0612345678',
      )
      // A visitor sees the place without them.
      const visitor = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await visitor.goto(`${address()}/?layer=none&place=${place.id}`)
      await visitor.waitForSelector('#place-body h3', { timeout: 30_000 })
      expect(await visitor.textContent('#place-body')).not.toContain('Anna')
      await visitor.close()
      await jeroen.context.close()
    })

    it('lets a visitor suggest a place when the setting allows it, past a hidden honeypot', async () => {
      await setting({ anonymous_suggestions: true })
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      await page.goto(`${address()}/?layer=none#15/52.512/5.49`)
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      expect(await page.isVisible('#suggest-place')).toBe(true)
      expect(await page.isHidden('#add-place')).toBe(true)
      await page.click('#suggest-place')
      expect(await page.textContent('#add-title')).toBe('Plek voorstellen')
      expect(await page.isHidden('#add-contact')).toBe(true)
      expect(await page.isVisible('#add-note')).toBe(true)
      expect(await page.textContent('#add-form button[type=submit]')).toBe('Voorstel versturen')
      // The honeypot: in the form, but off screen, out of the tab order and of screen readers.
      const trap = page.locator('input[name="website"]')
      expect(await trap.getAttribute('tabindex')).toBe('-1')
      expect(await trap.getAttribute('autocomplete')).toBe('off')
      expect(await trap.getAttribute('aria-hidden')).toBe('true')
      expect((await trap.boundingBox())!.x).toBeLessThan(0)
      await page.mouse.click(320 + (1200 - 320) / 2, 450)
      await page.fill('#add-name', 'Zitbank bij de speeltuin')
      await page.check('#add-kinds input[value="bench"]')
      await page.fill('#add-note', 'Staat er sinds de zomer.')
      await page.screenshot({ path: path.join(SCREENSHOTS, `suggest-${ctx().backend}.png`) })
      await page.click('#add-form button[type=submit]')
      await page.waitForSelector(
        '#toast:has-text("Uw voorstel is verstuurd. Een moderator bekijkt het.")',
      )
      await page.close()

      const marloes = await signedIn(address(), 'moderator')
      await marloes.page.goto(`${address()}/?layer=none`)
      const item = marloes.page.locator(
        '#moderation-list button:has-text("Zitbank bij de speeltuin")',
      )
      await item.waitFor({ timeout: 30_000 })
      expect(await item.textContent()).toContain('door een bezoeker')
      await item.click()
      await marloes.page.waitForSelector('#proposal-detail .proposal-note')
      expect(await marloes.page.textContent('#proposal-detail .proposal-note')).toBe(
        'Toelichting: Staat er sinds de zomer.',
      )
      await marloes.context.close()
      await setting({ anonymous_suggestions: false })
    })

    it('shows only the login when the map is not public', async () => {
      await setting({ public_map: false })
      try {
        const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
        const page = await context.newPage()
        const errors = watchErrors(page)
        await page.goto(`${address()}/?layer=none`)
        await page.waitForSelector('body[data-locked="true"]', { timeout: 30_000 })
        expect(await page.isVisible('#login-form')).toBe(true)
        expect(await page.textContent('#account-intro')).toContain(
          'alleen te zien voor mensen met een account',
        )
        for (const hidden of ['#search', '#add-place', '#layer', '#gemeente', '#login-close']) {
          expect(await page.isHidden(hidden)).toBe(true)
        }
        await page.screenshot({ path: path.join(SCREENSHOTS, `private-${ctx().backend}.png`) })
        await page.fill('#login-email', 'contributor@example.nl')
        await page.fill('#login-password', PASSWORD)
        await page.click('#login-submit')
        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
        expect(await page.textContent('#status')).toMatch(/^\d+ plekken op de kaart$/)
        expect(await page.isVisible('#search')).toBe(true)
        expect(errors).toEqual([])
        await context.close()
      } finally {
        await setting({ public_map: true })
      }
    })

    it('runs under the Content-Security-Policy without a single violation', async () => {
      // The built page itself: no inline scripts, styles or event handlers.
      const html = fs.readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8')
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
      expect(html).not.toMatch(/<style/)
      expect(html).not.toMatch(/\sstyle=/)
      expect(html).not.toMatch(/\son[a-z]+=/)
      const place = await placeOf('Hof van Hestia')
      const marloes = await signedIn(address(), 'moderator')
      const violations: string[] = []
      marloes.page.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text())
      })
      const errors = watchErrors(marloes.page)
      const response = await marloes.page.goto(
        `${address()}/?layer=distance&area=GM0995&place=${place.id}#11/52.5/5.47`,
      )
      const csp = response!.headers()['content-security-policy'] ?? ''
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("style-src 'self'")
      await marloes.page.waitForSelector('body[data-layer="distance"][data-area="GM0995"]', {
        timeout: 30_000,
      })
      await marloes.page.waitForSelector('#place-history li')
      // The legends and the bars got their colours and widths without style attributes.
      expect(
        await marloes.page.$eval('#legend .swatch', (e) => getComputedStyle(e).backgroundColor),
      ).toBe('rgb(11, 110, 79)')
      expect(
        await marloes.page.$eval('#hex-legend .chip', (e) => getComputedStyle(e).backgroundColor),
      ).toBe('rgb(253, 231, 37)')
      expect(
        await marloes.page.$$eval('.bands .bar', (bars) =>
          Math.max(...bars.map((b) => (b as HTMLElement).offsetWidth)),
        ),
      ).toBeGreaterThan(10)
      await marloes.page.screenshot({
        path: path.join(SCREENSHOTS, `moderator-${ctx().backend}.png`),
      })
      expect(violations).toEqual([])
      expect(errors).toEqual([])
      await marloes.context.close()
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
      await createUsers(ctx)
    },
  },
)

describeBackends(
  'loading real data on an empty installation, in Chromium',
  (ctx) => {
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
      pdokUrl: `${pdokBase}/pdok/{year}`,
      overpassUrl: `${pdokBase}/overpass`,
      regionBbox: [4.95, 52.18, 6.1, 52.95],
      dataDir: path.join(os.tmpdir(), `buurtkaart-e2e-${process.pid}-${ctx().backend}`, 'pglite'),
    }))

    it('offers "load data for a region" on an empty installation and loads it with progress', async () => {
      // Every table is emptied before each test of this suite, the accounts too.
      await createUsers(ctx())
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      const page = await context.newPage()
      await page.goto(`${address()}/?layer=none`)
      await page.waitForSelector('#load-data:not([hidden])', { timeout: 30_000 })
      // A visitor reads how it is done; an administrator who signs in gets the form.
      expect(await page.textContent('#load-intro')).toContain('Er zijn nog geen gebieden geladen')
      expect(await page.textContent('#load-intro')).toContain('Log in als beheerder')
      expect(await page.isHidden('#load-form')).toBe(true)
      await page.click('#login-open')
      await page.fill('#login-email', 'admin@example.nl')
      await page.fill('#login-password', PASSWORD)
      await page.click('#login-submit')
      await page.waitForSelector('#load-form:not([hidden])')
      await page.fill('#load-gemeente', 'gm0995')
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
      await context.close()
    })
  },
  { reset: 'all' },
)
