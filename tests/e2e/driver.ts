/**
 * The page driver of the browser tests: the web app built once per version of its sources, the
 * service on one backend, headless Chromium, pages at a phone's or a desktop's size, and the
 * actions and waits the tests repeat. Every wait waits for something the page shows or does (a
 * selector, a text, a response, the map going quiet), never for a fixed time.
 *
 * A feature's tests live in `<feature>.suite.ts`; `pglite/<feature>.test.ts` and
 * `postgresql/<feature>.test.ts` run it on one backend each (see run-on.ts), each file with one
 * Chromium.
 */
import fs from 'node:fs'
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  type Request,
} from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, inject } from 'vitest'
import { projectRoot } from '../../api/config.js'
import { createApp } from '../../api/http/app.js'
import { listen } from '../../api/http/listen.js'
import { SEED_FILE } from '../../api/seed-file.js'
import { seedIfEmpty } from '../../api/services/seed.js'
import { createUser } from '../../api/services/users.js'
import {
  type SuiteOptions,
  type TestContext,
  describeBackends,
  TEST_CONFIG,
  testSchemas,
} from '../helpers/backends.js'
import { buildWebApp } from '../helpers/web-build.js'

/** Screenshots and PDFs of the runs, for a person to look at. */
export const SCREENSHOTS = path.join(projectRoot, 'test-results')

// Closes this test file's Chromium after its last suite (registered when a suite imports this).
afterAll(async () => {
  await browser?.close()
  browser = undefined
})

// ---------------------------------------------------------------------------------------------
// The built web app

/**
 * The web app the global set-up built for this run (see helpers/web-build.ts); a file run without
 * it (an editor's single test) builds it here.
 */
export function builtWebApp(): Promise<string> {
  return Promise.resolve(inject('webRoot') ?? buildWebApp())
}

// ---------------------------------------------------------------------------------------------
// Accounts and data

/** The password of every test account. */
export const PASSWORD = 'een lang wachtwoord 2026'

/** Test accounts, one per role (and a second trusted one): `<key>@example.nl`. */
export const USERS = {
  contributor: { display_name: 'Fatima', role: 'contributor' },
  trusted: { display_name: 'Jeroen', role: 'trusted' },
  trusted2: { display_name: 'Sanne', role: 'trusted' },
  moderator: { display_name: 'Marloes', role: 'moderator' },
  admin: { display_name: 'Beheer', role: 'admin' },
} as const
export type Account = keyof typeof USERS

/** Makes the test accounts in a suite's database. */
export async function createUsers(ctx: TestContext): Promise<void> {
  for (const [key, user] of Object.entries(USERS)) {
    await createUser(
      ctx.handle.db,
      { email: `${key}@example.nl`, password: PASSWORD, ...user },
      { actor: 'test', clock: ctx.clock },
    )
  }
}

/**
 * A suite's one-time set-up of the loaded state most tests look at: the seed register (16 places)
 * and the test accounts, on a database that starts with real CBS areas (see `areas`).
 */
async function seeded(ctx: TestContext): Promise<void> {
  await seedIfEmpty(
    { db: ctx.handle.db, clock: ctx.clock, schemas: testSchemas },
    fs.readFileSync(SEED_FILE, 'utf8'),
  )
  await createUsers(ctx)
}

/** The state most tests start from: Lelystad and the other gemeenten, and the seed register. */
export const GEMEENTEN: SuiteOptions = { reset: 'none', areas: 'gemeenten', setup: seeded }

/** The same with the wijken, for the layers and figures within a gemeente. */
export const GEMEENTEN_AND_WIJKEN: SuiteOptions = {
  reset: 'none',
  areas: 'gemeenten+wijken',
  setup: seeded,
}

/** A feature's browser tests, and the state (one of the above, or its own) they start from. */
export interface Feature {
  readonly name: string
  readonly start: SuiteOptions
  readonly tests: (web: WebApp, ctx: () => TestContext) => void
}

export function feature(
  name: string,
  start: SuiteOptions,
  tests: (web: WebApp, ctx: () => TestContext) => void,
): Feature {
  return { name, start, tests }
}

/**
 * Runs features that start from the same state on this file's backend with one database, one
 * set-up and one service between them (loading the real areas takes most of a set-up), each
 * feature in a describe of its own, in the order given.
 */
export function describeFeatures(features: readonly Feature[]): void {
  const start = features[0]!.start
  if (features.some((f) => f.start !== start)) {
    throw new Error(`${features.map((f) => f.name).join(', ')}: these start from different states`)
  }
  describeBackends(
    features.length === 1 ? features[0]!.name : 'web app in Chromium',
    (ctx) => {
      const web = serveWebApp(ctx, start.config ?? {})
      for (const f of features) {
        if (features.length === 1) f.tests(web, ctx)
        else describe(f.name, () => f.tests(web, ctx))
      }
    },
    start,
  )
}

// ---------------------------------------------------------------------------------------------
// The browser

let browser: Browser | undefined

async function chromiumBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  return browser
}

/**
 * The screens the tests use: a phone, and a desktop 1200 px wide (the side panel takes 320 px
 * of it, so the middle of the map is at x = 760) at two heights.
 */
export const SCREENS = {
  phone: {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  },
  '1200x800': { viewport: { width: 1200, height: 800 } },
  '1200x900': { viewport: { width: 1200, height: 900 } },
} as const satisfies Record<string, BrowserContextOptions>
export type Screen = keyof typeof SCREENS

/** The x of the middle of the map on a desktop screen, right of the 320 px panel. */
export const MAP_MIDDLE_X = 320 + (1200 - 320) / 2

/**
 * Runs in every page before the app: notes when WebGL last drew, so a test can tell that the map
 * has stopped drawing (see mapIdle).
 */
function noteDrawing() {
  const w = window as unknown as { __lastDrawn: number }
  w.__lastDrawn = 0
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    const methods = proto as unknown as Record<string, (...args: unknown[]) => unknown>
    for (const name of ['clear', 'drawArrays', 'drawElements']) {
      const original = methods[name]!
      methods[name] = function (this: unknown, ...args: unknown[]) {
        w.__lastDrawn = performance.now()
        return original.apply(this, args)
      }
    }
  }
}

/** The requests of each page still waiting for their answer, to the app or a stand-in. */
const inFlight = new WeakMap<Page, Set<Request>>()

function followRequests(page: Page) {
  const pending = new Set<Request>()
  inFlight.set(page, pending)
  page.on('request', (r) => {
    if (r.url().startsWith('http://127.0.0.1:')) pending.add(r)
  })
  page.on('requestfinished', (r) => pending.delete(r))
  page.on('requestfailed', (r) => pending.delete(r))
}

// ---------------------------------------------------------------------------------------------
// The service and its pages

type AppConfig = Partial<Parameters<typeof createApp>[0]['config']>

export interface WebApp {
  /** The service's address, e.g. `http://127.0.0.1:43210`. */
  address: () => string
  /** The folder the service serves the built web app from. */
  webRoot: () => string
  /** A fresh browser context (closed after the test at the latest). */
  context: (screen?: Screen | BrowserContextOptions) => Promise<BrowserContext>
  /** A page in a fresh browser context. */
  page: (screen?: Screen | BrowserContextOptions) => Promise<Page>
  /**
   * A page signed in as one of the test accounts (the session cookie lands in its context),
   * with the CSRF token for requests made through `context.request`.
   */
  signedIn: (
    account: Account,
    screen?: Screen | BrowserContextOptions,
  ) => Promise<{ context: BrowserContext; page: Page; csrf: string }>
  /** GET of the service as JSON, as a script without an account sees it. */
  json: <T>(url: string) => Promise<T>
  /** A place by name (the first the search finds): its id and position. */
  place: (name: string) => Promise<{ id: string; lon: number; lat: number }>
  /** Changes settings as the administrator, through the API. */
  setting: (patch: Record<string, unknown>) => Promise<void>
  /** Where a screenshot or PDF named `name` of this backend goes. */
  shot: (name: string, extension?: string) => string
}

/**
 * Serves the suite's database through the real app (with the built web app) on a free port for
 * the whole suite; the config may be a function, read when the service starts.
 */
export function serveWebApp(
  ctx: () => TestContext,
  config: AppConfig | (() => AppConfig) = {},
): WebApp {
  let base = ''
  let root = ''
  let server: http.Server | undefined
  const contexts = new Set<BrowserContext>()
  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
    root = await builtWebApp()
    await chromiumBrowser()
    const app = createApp({
      db: ctx().handle.db,
      backend: ctx().backend,
      config: { ...TEST_CONFIG, ...(typeof config === 'function' ? config() : config) },
      clock: ctx().clock,
      webRoot: root,
    })
    server = await new Promise<http.Server>((resolve) => {
      const s = listen(app, { port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  // A test that failed half-way leaves its pages open: nothing of them reaches the next test.
  afterEach(async () => {
    await Promise.all([...contexts].map((c) => c.close().catch(() => {})))
    contexts.clear()
  })
  // The server is missing when the suite's set-up failed: nothing to close then.
  afterAll(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  )

  const web: WebApp = {
    address: () => base,
    webRoot: () => root,
    async context(screen = '1200x800') {
      const options = typeof screen === 'string' ? SCREENS[screen] : screen
      const context = await (await chromiumBrowser()).newContext(options)
      contexts.add(context)
      context.on('close', () => contexts.delete(context))
      context.on('page', followRequests)
      await context.addInitScript(noteDrawing)
      return context
    },
    async page(screen) {
      return (await web.context(screen)).newPage()
    },
    async signedIn(account, screen = '1200x900') {
      const context = await web.context(screen)
      const res = await context.request.post(`${base}/api/auth/login`, {
        data: { email: `${account}@example.nl`, password: PASSWORD },
      })
      expect(res.status()).toBe(200)
      const { csrf_token } = (await res.json()) as { csrf_token: string }
      return { context, page: await context.newPage(), csrf: csrf_token }
    },
    async json<T>(url: string) {
      const res = await fetch(base + url)
      return (await res.json()) as T
    },
    async place(name) {
      const body = await web.json<{
        features: { id: string; geometry: { coordinates: [number, number] } }[]
      }>(`/api/assets?q=${encodeURIComponent(name)}`)
      const found = body.features[0]!
      const [lon, lat] = found.geometry.coordinates
      return { id: found.id, lon, lat }
    },
    async setting(patch) {
      const admin = await web.signedIn('admin')
      const res = await admin.context.request.patch(`${base}/api/settings`, {
        headers: { 'x-csrf-token': admin.csrf },
        data: patch,
      })
      expect(res.status()).toBe(200)
      await admin.context.close()
    },
    shot: (name, extension = 'png') =>
      path.join(SCREENSHOTS, `${name}-${ctx().backend}.${extension}`),
  }
  return web
}

// ---------------------------------------------------------------------------------------------
// Actions and waits on a page

/** Opens `url` and waits until the app has started (the map, the register, the panel). */
export async function visit(page: Page, url: string) {
  const response = await page.goto(url)
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
  return response
}

/** A parameter of the page's URL (the permalink), or null. */
export function param(page: Page, name: string): string | null {
  return new URL(page.url()).searchParams.get(name)
}

/** The map's zoom, as the URL's hash says it. */
export function zoomOf(page: Page): Promise<number> {
  return page.evaluate(() => Number(location.hash.slice(1).split('/')[0]))
}

/** Waits until the map has zoomed in to at least `zoom` (the URL's hash says so). */
export async function waitForZoom(page: Page, zoom: number, timeout = 30_000) {
  await page.waitForFunction((to) => Number(location.hash.slice(1).split('/')[0]) >= to, zoom, {
    timeout,
  })
}

/** The status line below the title: how many places the map shows. */
export async function statusText(page: Page): Promise<string> {
  return (await page.textContent('#status')) ?? ''
}

/** Waits until the status line says `text` exactly. */
export async function waitForStatus(page: Page, text: string) {
  await page.waitForFunction(
    (wanted) => document.querySelector('#status')?.textContent === wanted,
    text,
  )
}

/**
 * Waits until the hexagon layer's status line matches `pattern` (the layer is drawn). The first
 * layer of a suite waits for the service's first analysis of the province, which on a machine
 * busy with other test files can take longer than Playwright's default 30 s.
 */
export async function waitForLayerStatus(page: Page, pattern: RegExp) {
  await page.waitForFunction(
    ([source, flags]) =>
      new RegExp(source, flags).test(document.querySelector('#layer-status')?.textContent ?? ''),
    [pattern.source, pattern.flags] as const,
    { timeout: 90_000 },
  )
}

/** Waits for a toast that says `text` (among other things). */
export async function waitForToast(page: Page, text: string, timeout = 30_000) {
  await page.waitForSelector(`#toast:has-text(${JSON.stringify(text)})`, { timeout })
}

/** The panel's sections, each behind its tab. */
export type Section = 'kaart' | 'gebied' | 'plek' | 'rapport'

/** Opens a section of the panel by its tab and waits until it shows. */
export async function openSection(page: Page, section: Section) {
  await page.click(`#tab-${section}`)
  await page.waitForSelector(`#section-${section}:not([hidden])`)
}

/** Chooses an area in the panel (its Gebied section) and waits until the app shows it. */
export async function chooseArea(page: Page, code: string) {
  await openSection(page, 'gebied')
  await page.selectOption('#gemeente', code)
  await page.waitForSelector(`body[data-area="${code}"]`)
}

/**
 * Signs in through the panel's form: opens it (unless `open` is false, when it is open already),
 * fills in the account's e-mail address and password and sends it.
 */
export async function signInWithForm(page: Page, account: Account, { open = true } = {}) {
  if (open) await page.click('#login-open')
  await page.fill('#login-email', `${account}@example.nl`)
  await page.fill('#login-password', PASSWORD)
  await page.click('#login-submit')
}

/** On a phone: pulls the bottom sheet up by its handle and waits until it covers the map. */
export async function openSheet(page: Page) {
  await page.tap('#sheet-handle')
  await page.waitForFunction(
    () => (document.querySelector('.panel') as HTMLElement).offsetHeight > window.innerHeight * 0.6,
  )
}

/** Waits until the page has handled what came before and drawn a frame (twice, to be sure). */
export async function nextFrame(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  )
}

/** How long the map must not draw before it counts as idle, in milliseconds. */
const QUIET_MS = 200

/**
 * Waits until the map is idle: MapLibre's `idle` came after the last data load or camera move
 * (the app shows it as `body[data-map="idle"]`: no tile or GeoJSON on its way in the map's
 * worker, no move or fade), nothing asked of the app is still unanswered (an answer not yet
 * handed to the map), and WebGL has not drawn for a moment (a restyle, which loads no data).
 */
export async function mapIdle(page: Page, timeout = 15_000) {
  const pending = inFlight.get(page)
  await expect
    .poll(
      async () =>
        (pending?.size ?? 0) === 0 &&
        (await page.evaluate((quiet) => {
          const last = (window as unknown as { __lastDrawn: number }).__lastDrawn
          return (
            document.body.dataset.map === 'idle' && last > 0 && performance.now() - last >= quiet
          )
        }, QUIET_MS)),
      { timeout, interval: 50, message: 'the map to be idle' },
    )
    .toBe(true)
}

/**
 * Moves the pointer over the map at `points` in turn until the hexagon read-out shows text that
 * `wanted` accepts (default: any); returns the last read-out seen ('' when none showed).
 */
export async function hoverReadout(
  page: Page,
  points: readonly (readonly [number, number])[],
  wanted: (text: string) => boolean = () => true,
): Promise<string> {
  await mapIdle(page)
  let text = ''
  for (const [x, y] of points) {
    await page.mouse.move(x, y)
    await nextFrame(page)
    if (await page.isVisible('#readout')) {
      text = (await page.textContent('#readout')) ?? ''
      if (wanted(text)) break
    }
  }
  return text
}

/** Where the Lelystad views of the hexagon tests have populated cells. */
export const LELYSTAD_POINTS = [
  [760, 400],
  [700, 350],
  [820, 450],
  [640, 420],
  [900, 380],
] as const

/** The colour of one pixel of the page, read from a screenshot: [r, g, b, a]. */
export async function pixelAt(page: Page, x: number, y: number): Promise<number[]> {
  const shot = await page.screenshot({ clip: { x, y, width: 1, height: 1 } })
  return pixelOf(page, shot, 0, 0)
}

/** The colour of pixel (x, y) of a PNG (a screenshot), decoded by the page: [r, g, b, a]. */
export async function pixelOf(page: Page, png: Buffer, x: number, y: number): Promise<number[]> {
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
 * Collects page errors and, unless `console` is false, console errors (a CSP violation is a
 * console error).
 */
export function watchErrors(page: Page, { console = true } = {}): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  if (!console) return errors
  page.on('console', (m) => {
    // Chromium logs every refused request (a wrong password's 401; offline, the PDOK basemap).
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource:'))
      errors.push(m.text())
  })
  return errors
}

/** Collects the answers with a status of 400 or more, as `<status> <url>`. */
export function failedResponses(page: Page): string[] {
  const failed: string[] = []
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
  })
  return failed
}
