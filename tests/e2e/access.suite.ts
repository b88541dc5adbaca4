/**
 * The map for everyone (issue 19): no axe-core violations (WCAG 2.1 A and AA) on any screen and
 * state the stories reach, at a desktop's and a phone's size, in Dutch and English; the three
 * stories done with the keyboard alone; Fatima's flow on a phone; reading is not choosing; only
 * what can work is offered; names and a scale to orient by offline; errors that offer a retry.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import {
  feature,
  GEMEENTEN_AND_WIJKEN,
  mapIdle,
  openSection,
  param,
  SCREENS,
  visit,
  waitForToast,
  watchErrors,
  type WebApp,
} from './driver.js'

/** Desktop at the size the issue names, and the phone. */
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } }
const PHONE: BrowserContextOptions = SCREENS.phone
/** Lelystad, for a device that shares its position. */
const HERE = { latitude: 52.5125, longitude: 5.4905 }

/** The WCAG 2.1 A and AA rules of axe-core. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** Fails with every axe violation on the page as it is now, named by `state`. */
async function expectAccessible(page: Page, state: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze()
  const found = violations.map(
    (v) =>
      `${state}: ${v.id} (${v.impact ?? ''}) ${v.help} – ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  )
  expect(found).toEqual([])
}

/** Presses Tab until `selector` has the focus (the keyboard's way to a control). */
async function tabTo(page: Page, selector: string, { back = false, max = 120 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`Tab did not reach ${selector}`)
}

/** Changes a focused select with the arrow keys until it shows `value`. */
async function arrowTo(page: Page, value: string, max = 40) {
  for (let i = 0; i < max; i++) {
    if (
      await page.evaluate((v) => (document.activeElement as HTMLSelectElement).value === v, value)
    )
      return
    await page.keyboard.press('ArrowDown')
  }
  throw new Error(`the select did not reach ${value}`)
}

/** A signed-in page at a screen of one's own (the driver's signedIn takes a named screen). */
async function signedInAt(web: WebApp, options: BrowserContextOptions, account = 'trusted') {
  const context = await web.context({
    ...options,
    geolocation: HERE,
    permissions: ['geolocation'],
  })
  const res = await context.request.post(`${web.address()}/api/auth/login`, {
    data: { email: `${account}@example.nl`, password: 'een lang wachtwoord 2026' },
  })
  expect(res.status()).toBe(200)
  const { csrf_token } = (await res.json()) as { csrf_token: string }
  return { context, page: await context.newPage(), csrf: csrf_token }
}

export const access = feature('a map for everyone in Chromium', GEMEENTEN_AND_WIJKEN, (web) => {
  const address = web.address

  for (const [screen, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    for (const lang of ['nl', 'en'] as const) {
      it(`has no axe violations on the screens of the stories: ${screen}, ${lang}`, async () => {
        const hestia = await web.place('Hof van Hestia')
        // A proposal waiting for the moderator.
        const fatima = await signedInAt(web, options, 'contributor')
        const proposed = await fatima.context.request.post(`${address()}/api/assets`, {
          headers: { 'x-csrf-token': fatima.csrf },
          data: {
            geometry: { type: 'Point', coordinates: [5.49, 52.512] },
            properties: { name: `Voorstel ${screen} ${lang}`, kind: 'bench' },
          },
        })
        expect(proposed.status()).toBeLessThan(300)
        await fatima.context.close()

        // axe reads states, not motion: with reduced motion every state is at rest when it is
        // read (no flight or sheet transition half-way), and Chromium draws far fewer frames.
        // The stories below keep the default motion.
        const { page } = await signedInAt(web, { ...options, reducedMotion: 'reduce' }, 'moderator')
        const errors = watchErrors(page, { console: false })
        const q = `lang=${lang}`
        // The map with a layer and its legend (Kaart).
        await visit(page, `${address()}/?layer=distance&${q}#11/52.51/5.47`)
        await page.waitForSelector('body[data-layer="distance"]')
        await expectAccessible(page, 'map')
        // Reading a spot on the map.
        await mapIdle(page)
        const map = (await page.locator('#map').boundingBox())!
        await page.mouse.click(map.x + map.width / 2, map.y + map.height * 0.4)
        await page.waitForSelector('#reading:not([hidden])')
        await expectAccessible(page, 'reading')
        // The area with its figures, gaps and table (Gebied), a gap chosen.
        await visit(page, `${address()}/?layer=gap&area=GM0995&section=gebied&${q}`)
        await page.waitForSelector('body[data-area="GM0995"]')
        await page.click('#figures-table summary')
        await page.click('button[data-gap="0"]')
        await page.waitForSelector('body[data-gap="0"]')
        await expectAccessible(page, 'area')
        await page.screenshot({ path: web.shot(`access-area-${screen}-${lang}`) })
        // The report section (Rapport).
        await openSection(page, 'rapport')
        await expectAccessible(page, 'report section')
        // A place (Plek) and its form.
        await visit(page, `${address()}/?layer=none&place=${hestia.id}&${q}`)
        await page.waitForSelector('#place-body h3')
        await expectAccessible(page, 'place')
        await page.click('#add-place')
        if (screen === 'phone') {
          await page.waitForSelector('#pick-bar:not([hidden])')
          await expectAccessible(page, 'choosing a spot')
          await page.click('#pick-done')
        }
        await page.click('#add-form button[type=submit]')
        await page.waitForSelector('#err-name:not(:empty)')
        await expectAccessible(page, 'place form with errors')
        await page.click('#add-cancel')
        // Moderation: the queue and one proposal.
        await openSection(page, 'plek')
        await page.waitForSelector('#moderation-list button')
        await page.click('#moderation-list button')
        await page.waitForSelector('#proposal-detail:not([hidden])')
        await expectAccessible(page, 'moderation')
        await page.screenshot({ path: web.shot(`access-moderation-${screen}-${lang}`) })
        // The account with its wide action asked first.
        if (screen === 'phone') await page.click('#account-more')
        await page.click('#logout-all')
        await page.waitForSelector('#logout-all-confirm:not([hidden])')
        await expectAccessible(page, 'account')
        await page.click('#logout-all-no')
        expect(errors).toEqual([])
      }, 180_000)
    }
  }

  it('has a skip link first, and every section in reach of the keyboard', async () => {
    const page = await web.page(DESKTOP)
    await visit(page, `${address()}/?layer=none`)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link')
    expect(await page.isVisible('.skip-link')).toBe(true)
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('panel-main')
    await tabTo(page, '#tab-kaart')
    for (const next of ['gebied', 'plek', 'rapport', 'kaart']) {
      await page.keyboard.press('ArrowRight')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`tab-${next}`)
      expect(await page.isVisible(`#section-${next}`)).toBe(true)
      expect(param(page, 'section')).toBe(next === 'kaart' ? null : next)
    }
    expect(await page.getAttribute('a[href="/toegankelijkheid"]', 'href')).toBe('/toegankelijkheid')
  })

  it("Jeroen's story by keyboard alone: an area, a layer, the first gap", async () => {
    const page = await web.page(DESKTOP)
    const errors = watchErrors(page, { console: false })
    await visit(page, `${address()}/`)
    await tabTo(page, '#tab-kaart')
    await page.keyboard.press('ArrowRight')
    await tabTo(page, '#gemeente')
    await arrowTo(page, 'GM0303')
    await page.waitForSelector('body[data-area="GM0303"]', { timeout: 30_000 })
    await tabTo(page, '#tab-gebied', { back: true })
    await page.keyboard.press('ArrowLeft')
    await tabTo(page, '#layer')
    await arrowTo(page, 'distance')
    await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
    expect(await page.textContent('#hex-legend')).toContain('800 m ← grens')
    await tabTo(page, '#tab-kaart', { back: true })
    await page.keyboard.press('ArrowRight')
    await tabTo(page, 'button[data-gap="0"]')
    await page.keyboard.press('Enter')
    await page.waitForSelector('body[data-gap="0"]')
    expect(await page.textContent('#map-announce')).toMatch(/^Op de kaart omlijnd: 1\. /)
    // The same figures without the map: a table.
    await tabTo(page, '#figures-table summary')
    await page.keyboard.press('Enter')
    expect(await page.locator('.figures-table tbody tr').count()).toBe(5)
    expect(errors).toEqual([])
  })

  it("Fatima's story by keyboard alone: a new place at her location, saved", async () => {
    const { page } = await signedInAt(web, DESKTOP)
    await visit(page, `${address()}/?layer=none#13/52.51/5.48`)
    await tabTo(page, '#add-place')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-name')
    expect(await page.isVisible('#section-plek')).toBe(true)
    await page.keyboard.type('Bankje aan de Kust')
    await tabTo(page, '#add-kinds input[name=kind]')
    await page.keyboard.press('Space')
    await tabTo(page, '#use-location', { back: true })
    await page.keyboard.press('Enter')
    await page.waitForSelector('#add-where:has-text("Plek gekozen")')
    await tabTo(page, '#add-form button[type=submit]')
    await page.keyboard.press('Enter')
    await waitForToast(page, 'Opgeslagen: Bankje aan de Kust')
  })

  it("Marloes's story by keyboard alone: the area's report", async () => {
    const context = await web.context(DESKTOP)
    const page = await context.newPage()
    await visit(page, `${address()}/?layer=none&area=GM0995`)
    await page.waitForSelector('body[data-area="GM0995"]')
    await tabTo(page, '#tab-kaart')
    await page.keyboard.press('End')
    await tabTo(page, '#report-link')
    const [report] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')])
    await report.waitForLoadState('load')
    expect(new URL(report.url()).pathname).toBe('/api/v1/reports/GM0995')
    await report.close()
    // A what-if without a mouse: a place in the middle of the map, moved with the arrow keys.
    await page.bringToFront()
    await tabTo(page, '#tab-rapport', { back: true })
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await tabTo(page, '#scenario-open')
    await page.keyboard.press('Enter')
    await tabTo(page, '#scenario-add-center')
    await page.keyboard.press('Enter')
    expect(
      await page.evaluate(() => document.activeElement?.closest('.scenario-pin') !== null),
    ).toBe(true)
    await page.waitForSelector('#scenario-gain')
    const added = param(page, 'add')
    await page.keyboard.press('Shift+ArrowRight')
    await page.waitForFunction(
      (before) => new URL(location.href).searchParams.get('add') !== before,
      added,
    )
    await page.waitForSelector('#scenario-result:not([aria-busy])')
    expect(await page.textContent('#scenario-gain')).toMatch(/inwoners binnen 800 m hemelsbreed$/)
  })

  it("Fatima's story on a phone: the sheet makes way, the pin in view, checks before sending, 'Opgeslagen' in sight", async () => {
    const { page } = await signedInAt(web, PHONE)
    const posts: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/assets')
        posts.push(r.url())
    })
    await visit(page, `${address()}/?layer=none#14/52.505/5.47`)
    await page.tap('#add-place')
    // Choosing a spot: the map is free, the sheet a one-line bar.
    await page.waitForSelector('#pick-bar:not([hidden])')
    expect(await page.isVisible('.panel')).toBe(false)
    await page.screenshot({ path: web.shot('phone-pick') })
    await page.tap('#pick-locate')
    await page.waitForSelector('#pick-bar', { state: 'hidden' })
    await page.waitForSelector('#add-where:has-text("Plek gekozen")')
    await mapIdle(page)
    // The map went to the pin, and the pin is clear of the sheet.
    const pin = (await page.locator('.draft-pin').boundingBox())!
    const sheetTop = await page.evaluate(
      () => document.querySelector('.panel')!.getBoundingClientRect().top,
    )
    expect(pin.y + pin.height).toBeLessThan(sheetTop)
    expect(pin.y).toBeGreaterThan(0)
    // Name and kind are checked before anything is sent.
    await page.tap('#add-form button[type=submit]')
    expect(await page.textContent('#err-name')).toBe('Vul een naam in.')
    expect(await page.textContent('#err-kind')).toBe('Kies wat voor plek het is.')
    expect(posts).toEqual([])
    // Kind buttons with their icon; labels break between words only.
    const labels = await page.$$eval('#add-kinds label', (all) =>
      all.map((l) => {
        const text = l.querySelector('span')!
        const lines = Math.round(
          text.getBoundingClientRect().height / parseFloat(getComputedStyle(text).lineHeight),
        )
        return {
          icon: l.querySelector('svg') !== null,
          words: text.textContent.trim().split(/\s+/).length,
          lines,
          fits: l.scrollWidth <= l.clientWidth + 1,
        }
      }),
    )
    for (const l of labels) {
      expect(l.icon).toBe(true)
      expect(l.lines).toBeLessThanOrEqual(l.words)
      expect(l.fits).toBe(true)
    }
    await page.fill('#add-name', 'Picknickbank bij het Zilverstrand')
    await page.tap('#add-kinds label:has(input[value="picnic_table"])')
    await page.screenshot({ path: web.shot('phone-form') })
    await page.tap('#add-form button[type=submit]')
    await waitForToast(page, 'Opgeslagen: Picknickbank bij het Zilverstrand')
    // The sheet shrinks back after the save (a CSS transition): measure where it comes to rest.
    await page.waitForFunction(() =>
      document.getAnimations().every((a) => a.playState !== 'running'),
    )
    const toast = (await page.locator('#toast').boundingBox())!
    const top = await page.evaluate(
      () => document.querySelector('.panel')!.getBoundingClientRect().top,
    )
    expect(toast.y + toast.height).toBeLessThanOrEqual(top)
    await page.screenshot({ path: web.shot('phone-saved') })
  })

  it('reads a tapped cell without choosing its area; choosing is the explicit button', async () => {
    const page = await web.page(PHONE)
    await visit(page, `${address()}/?layer=distance#11/52.51/5.47`)
    await page.waitForSelector('body[data-layer="distance"]')
    await mapIdle(page)
    await page.tap('#map', { position: { x: 195, y: 330 } })
    await page.waitForSelector('#reading:not([hidden])')
    expect(await page.textContent('#reading-text')).toMatch(/In Lelystad$/)
    expect(param(page, 'area')).toBeNull()
    await page.screenshot({ path: web.shot('phone-reading') })
    await page.tap('#reading-choose')
    await page.waitForSelector('body[data-area="GM0995"]', { timeout: 30_000 })
    expect(param(page, 'section')).toBe('gebied')
    expect(await page.isHidden('#reading')).toBe(true)
  })

  it('offers only what can work: without a road network the detour and the network modes say why', async () => {
    const page = await web.page(DESKTOP)
    await visit(page, `${address()}/?layer=detour`)
    expect(param(page, 'layer')).toBe('none')
    expect(
      await page.$eval('#layer option[value="detour"]', (o) => (o as HTMLOptionElement).disabled),
    ).toBe(true)
    expect(await page.textContent('#mode option[value="walk"]')).toBe(
      'lopend over de weg (kan pas als er een wegennet is geladen)',
    )
    expect(await page.isVisible('#layer-note')).toBe(true)
    expect(await page.textContent('#layer-status')).not.toMatch(/walk|bike/)
  })

  it('names gemeenten, wijken and the scale offline, at the zooms they help', async () => {
    const page = await web.page(DESKTOP)
    await visit(page, `${address()}/?layer=none#9.5/52.55/5.5`)
    const shown = (level: string) =>
      page.$$eval(`.area-label-${level}:not([hidden])`, (all) => all.map((a) => a.textContent))
    expect(await shown('gemeente')).toContain('Lelystad')
    expect(await shown('wijk')).toEqual([])
    expect(await page.textContent('.maplibregl-ctrl-scale')).toMatch(/^\d+\s?k?m$/)
    expect(await page.getAttribute('.maplibregl-ctrl-geolocate', 'aria-label')).toBe(
      'Toon mijn locatie',
    )
    await visit(page, `${address()}/?layer=none#13/52.51/5.47`)
    await page.waitForFunction(
      () => document.querySelectorAll('.area-label-wijk:not([hidden])').length > 0,
    )
    await mapIdle(page)
    await page.screenshot({ path: web.shot('orientation-z13') })
    // Almere's many wijken at z11.5: where names would cover each other, one gives way.
    await visit(page, `${address()}/?layer=none#11.5/52.37/5.22`)
    await mapIdle(page)
    const boxes = await page.$$eval('.area-label:not([hidden])', (all) =>
      all.map((a) => {
        const r = a.getBoundingClientRect()
        return { name: a.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }
      }),
    )
    const names = boxes.map((b) => b.name)
    expect(names.length).toBeGreaterThan(15)
    // The wijk with the most inhabitants keeps its name; so does the small centre beside it.
    expect(names).toContain('Muziekwijk Noord')
    expect(names).toContain('Centrum Almere Stad')
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        .map((b) => `${a.name} / ${b.name}`),
    )
    expect(overlapping).toEqual([])
    await page.screenshot({ path: web.shot('orientation-almere-z11.5') })
  })

  it('offers "Opnieuw proberen" when the figures fail, and the map keeps to what the panel says', async () => {
    const page = await web.page(DESKTOP)
    await page.route('**/api/v1/coverage?**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'Service Unavailable', status: 503 }),
      }),
    )
    await visit(page, `${address()}/?layer=none&area=GM0995&section=gebied`)
    await page.waitForSelector('#figures-retry')
    expect(await page.inputValue('#gemeente')).toBe('GM0995')
    expect(await page.textContent('#area-figures')).toBe(
      'De cijfers konden niet laden. Opnieuw proberen',
    )
    expect(await page.isHidden('#progress')).toBe(true)
    await page.unroute('**/api/v1/coverage?**')
    await page.click('#figures-retry')
    await page.waitForSelector('body[data-area="GM0995"]')
    expect(await page.locator('.gap-pin').count()).toBeGreaterThan(0)
  })

  it('respects prefers-reduced-motion: no animations', async () => {
    const page = await web.page({ ...DESKTOP, reducedMotion: 'reduce' })
    await visit(page, `${address()}/?layer=none`)
    expect(await page.$eval('#progress span', (e) => getComputedStyle(e).animationName)).toBe(
      'none',
    )
  })
})
