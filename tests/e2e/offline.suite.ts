/**
 * Offline, failures and the page's rules in Chromium: a save made without connection, a layer
 * that cannot load, the PDOK basemap when it can be reached, the Content-Security-Policy, and an
 * empty installation that loads its data from (stand-ins for) PDOK and Overpass.
 */
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeBackends, requireSharedData } from '../helpers/backends.js'
import {
  createUsers,
  feature,
  GEMEENTEN,
  openSection,
  serveWebApp,
  signInWithForm,
  statusText,
  visit,
  waitForLayerStatus,
  waitForToast,
  watchErrors,
} from './driver.js'

export const offline = feature('offline and failures in Chromium', GEMEENTEN, (web) => {
  const address = web.address

  it('keeps a save made without connection and sends it when the connection is back', async () => {
    const { context, page } = await web.signedIn('trusted')
    await visit(page, `${address()}/?layer=none#12/52.37/5.22`)
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
    await waitForToast(page, 'Opgeslagen: Ruilkast bij de school', 15_000)
    const found = await web.json<{ features: unknown[] }>(
      `/api/assets?q=${encodeURIComponent('Ruilkast')}`,
    )
    expect(found.features).toHaveLength(1)
  })

  it('says so when the hexagon layer cannot load, its TileJSON or its tiles, and tries again on request', async () => {
    const failedText = 'Deze laag kon niet laden. Opnieuw proberen'
    for (const broken of ['**/tiles/cells.json?**', '**/tiles/cells/**']) {
      const page = await web.page('1200x800')
      let refused = 0
      await page.route(broken, (route) => {
        refused++
        return route.abort('connectionrefused')
      })
      await visit(page, `${address()}/?layer=distance&threshold=800#10.5/52.51/5.47`)
      await page.waitForFunction(
        (text) => document.querySelector('#layer-status')?.textContent === text,
        failedText,
      )
      expect(refused, broken).toBeGreaterThan(0)
      // Without a TileJSON there is no layer; without tiles the layer is there, but empty.
      if (broken.endsWith('.json?**')) {
        expect(await page.getAttribute('body', 'data-layer')).toBeNull()
      }
      // "Opnieuw proberen" once the connection is back: the layer is drawn.
      await page.unroute(broken)
      await page.click('#layer-retry')
      await waitForLayerStatus(page, /cellen/)
      expect(await page.getAttribute('body', 'data-layer')).toBe('distance')
      await page.context().close()
    }
  })

  it('puts the PDOK basemap beneath the layers when it can be reached', async () => {
    const page = await web.page('1200x800')
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
    await page.screenshot({ path: web.shot('basemap') })
  })

  it('runs under the Content-Security-Policy without a single violation', async () => {
    // The built page itself: no inline scripts, styles or event handlers.
    const html = fs.readFileSync(path.join(web.webRoot(), 'index.html'), 'utf8')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(html).not.toMatch(/<style/)
    expect(html).not.toMatch(/\sstyle=/)
    expect(html).not.toMatch(/\son[a-z]+=/)
    const place = await web.place('Hof van Hestia')
    const marloes = await web.signedIn('moderator')
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
    await openSection(marloes.page, 'gebied')
    expect(
      await marloes.page.$$eval('.bands .bar', (bars) =>
        Math.max(...bars.map((b) => (b as HTMLElement).offsetWidth)),
      ),
    ).toBeGreaterThan(10)
    await marloes.page.screenshot({ path: web.shot('moderator') })
    expect(violations).toEqual([])
    expect(errors).toEqual([])
  })
})

/** An empty installation that loads its data from stand-ins for PDOK and Overpass. */
export function describeLoadingData(): void {
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
      const web = serveWebApp(ctx, () => ({
        pdokUrl: `${pdokBase}/pdok/{year}`,
        overpassUrl: `${pdokBase}/overpass`,
        regionBbox: [4.95, 52.18, 6.1, 52.95],
        dataDir: path.join(os.tmpdir(), `buurtkaart-e2e-${process.pid}-${ctx().backend}`, 'pglite'),
      }))

      it('offers "load data for a region" on an empty installation and loads it with progress', async () => {
        // Every table is emptied before each test of this suite, the accounts too.
        await createUsers(ctx())
        const page = await web.page('1200x900')
        await page.goto(`${web.address()}/?layer=none`)
        await page.waitForSelector('#load-data:not([hidden])', { timeout: 30_000 })
        // A visitor reads how it is done; an administrator who signs in gets the form.
        expect(await page.textContent('#load-intro')).toContain('Er zijn nog geen gebieden geladen')
        expect(await page.textContent('#load-intro')).toContain('Log in als beheerder')
        expect(await page.isHidden('#load-form')).toBe(true)
        await signInWithForm(page, 'admin')
        await page.waitForSelector('#load-form:not([hidden])')
        await page.fill('#load-gemeente', 'gm0995')
        await page.click('#load-form button[type=submit]')
        await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 })
        expect(await page.textContent('#load-progress')).toContain('Klaar')
        await page.screenshot({ path: web.shot('load-data') })
        // The page reloads itself: Lelystad is there, with the café from OpenStreetMap.
        await page.waitForFunction(
          () => document.querySelector('#load-data')?.hasAttribute('hidden'),
          null,
          { timeout: 30_000 },
        )
        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
        expect(await statusText(page)).toBe('1 plek op de kaart')
        expect(await page.locator('#gemeente option[value="GM0995"]').count()).toBe(1)
      })
    },
    { reset: 'all' },
  )
}
