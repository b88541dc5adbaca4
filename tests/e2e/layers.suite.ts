/**
 * The map and its layers in Chromium: the register on the map, the hexagon layers from vector
 * tiles with their legends and read-outs, an area's coverage, the filters, and walking detours.
 */
import { expect, it } from 'vitest'
import { type SuiteOptions, requireSharedData } from '../helpers/backends.js'
import { importOsmFile, loadSyntheticDelftAreas, NL } from '../helpers/osm.js'
import {
  chooseArea,
  feature,
  GEMEENTEN_AND_WIJKEN,
  hoverReadout,
  mapIdle,
  openSection,
  LELYSTAD_POINTS,
  param,
  visit,
  waitForLayerStatus,
  waitForZoom,
  watchErrors,
} from './driver.js'

/** 16 seed places; the planned Homerushuis does not count (active places only). */
const FIFTEEN_COUNTED = /^[\d.]+ cellen, 15 ontmoetingsplekken geteld$/

export const layers = feature('the map and its layers in Chromium', GEMEENTEN_AND_WIJKEN, (web) => {
  const address = web.address

  it('opens on Flevoland and shows the gemeenten and the seed register on the map', async () => {
    const page = await web.page('1200x800')
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
    // The page and its code as they cross the network: compressed, content-named code kept.
    const files: string[] = []
    page.on('response', (r) => {
      const { pathname } = new URL(r.url())
      if (r.url().startsWith(address()) && !pathname.startsWith('/api/')) {
        const h = r.headers()
        files.push(
          `${pathname.replace(/-[\w-]{8}\./, '-<hash>.')} ${h['content-encoding']} ${h['cache-control']}`,
        )
      }
    })
    await visit(page, address() + '/')
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
    await page.screenshot({ path: web.shot('map') })
    expect(errors).toEqual([])
    expect(failed).toEqual([])
    const immutable = 'public, max-age=31536000, immutable'
    expect(files).toEqual(
      expect.arrayContaining([
        '/ br no-cache',
        `/assets/index-<hash>.js br ${immutable}`,
        `/assets/index-<hash>.css br ${immutable}`,
        `/assets/maplibre-gl-worker-<hash>.js br ${immutable}`,
      ]),
    )
  })

  it('draws the distance layer from a permalink, with legend and a read-out on hover', async () => {
    const page = await web.page('1200x800')
    const errors = watchErrors(page, { console: false })
    // The seed places are known to their town or district only: counted when asked.
    await page.goto(
      `${address()}/?layer=distance&threshold=800&approximate=include#10.5/52.51/5.47`,
    )
    await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
    expect(await page.inputValue('#layer')).toBe('distance')
    expect(await page.isChecked('#approximate')).toBe(true)
    await waitForLayerStatus(page, FIFTEEN_COUNTED)
    expect(await page.textContent('#hex-legend')).toContain('400 m – 800 m ← grens')
    // Hover the map until the pointer is over a populated cell.
    const text = await hoverReadout(page, LELYSTAD_POINTS)
    expect(text).toMatch(
      /^(<1|[\d.]+) inwoners?, [\d,]+ (m|km) hemelsbreed naar de dichtstbijzijnde ontmoetingsplek$/,
    )
    await page.screenshot({ path: web.shot('distance') })
    await page.selectOption('#layer', 'gap')
    await page.waitForSelector('body[data-layer="gap"]')
    expect(param(page, 'layer')).toBe('gap')
    expect(errors).toEqual([])
  })

  it('draws the hexagons from vector tiles: no /api/hexes, a read-out on hover, no new TileJSON on pan and zoom', async () => {
    const page = await web.page('1200x800')
    const errors = watchErrors(page)
    const requests: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    const tileJsons = () =>
      requests.filter((u) => new URL(u).pathname === '/api/v1/tiles/cells.json')
    const tiles = () =>
      requests
        .map((u) => new URL(u))
        .filter((u) => /^\/api\/v1\/tiles\/cells\/\d+\/\d+\/\d+$/.test(u.pathname))
    const drawn = () => waitForLayerStatus(page, FIFTEEN_COUNTED)
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
    expect(new Set(first.map((u) => u.pathname.split('/')[5]))).toEqual(new Set(['10']))
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
    const hexes = await web.json<{ inhabitants: number[]; distanceM: (number | null)[] }>(
      '/api/hexes?metric=distance&res=9&threshold=800&approximate=include&bbox=5.2,52.35,5.75,52.67',
    )
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
    await waitForZoom(page, 11.4)
    // Tiles are fetched in MapLibre's worker: read them from the page's requests.
    await expect
      .poll(() => requests.slice(before).some((u) => /\/tiles\/cells\/11\//.test(u)), {
        timeout: 15_000,
      })
      .toBe(true)
    await drawn()
    const later = requests.slice(before).map((u) => new URL(u))
    expect(
      later.filter((u) => /^\/api\/v1\/tiles\/cells\/11\//.test(u.pathname)).length,
    ).toBeGreaterThan(0)
    expect(later.filter((u) => u.pathname === '/api/v1/tiles/cells.json')).toEqual([])
    expect(requests.filter((u) => /^\/api\/(v1\/)?hexes$/.test(new URL(u).pathname))).toEqual([])
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
  })

  it('draws the hexagon tiles at province and at town zoom', async () => {
    const page = await web.page('1200x800')
    const errors = watchErrors(page)
    for (const [name, view] of [
      ['province', '8.6/52.55/5.55'],
      ['town', '13/52.515/5.475'],
    ] as const) {
      await page.goto(`${address()}/?layer=distance&threshold=800#${view}`)
      await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
      await waitForLayerStatus(page, /^[\d.]+ cellen, /)
      const cells = Number(
        /^([\d.]+) cellen/
          .exec((await page.textContent('#layer-status')) ?? '')?.[1]
          ?.replace(/\./g, ''),
      )
      expect(cells, name).toBeGreaterThan(20)
      await page.screenshot({ path: web.shot(`hexes-${name}`) })
    }
    expect(errors).toEqual([])
  })

  it("shows an area's coverage from a permalink, and a gap click flies there, outlines and reads it out", async () => {
    const page = await web.page('1200x900')
    const errors = watchErrors(page, { console: false })
    await page.goto(`${address()}/?layer=none&area=GM0995&section=gebied`)
    await page.waitForSelector('body[data-area="GM0995"]', { timeout: 30_000 })
    expect(await page.inputValue('#gemeente')).toBe('GM0995')
    const headline = ((await page.textContent('.headline')) ?? '').replace(/\s+/g, ' ').trim()
    expect(headline).toMatch(
      /^Van de [\d.]+ inwoners wonen er [\d.]+ \([\d,]+%\) binnen 800 m \(hemelsbreed\) van een ontmoetingsplek\.$/,
    )
    expect(await page.locator('.bands li').count()).toBe(5)
    expect(await page.locator('button[data-gap]').count()).toBeGreaterThan(0)
    await page.locator('.area').screenshot({ path: web.shot('area') })
    // Each gap area has its numbered marker on the map.
    expect(await page.locator('.gap-pin').count()).toBe(
      await page.locator('button[data-gap]').count(),
    )
    expect(await page.textContent('.gap-pin >> nth=0')).toBe('1')
    await page.click('button[data-gap="0"]')
    await waitForZoom(page, 12.9, 10_000)
    await page.waitForSelector('body[data-gap="0"]')
    expect(await page.getAttribute('button[data-gap="0"]', 'aria-pressed')).toBe('true')
    expect(await page.textContent('#map-announce')).toMatch(/^Op de kaart omlijnd: 1\. \S/)
    await mapIdle(page)
    await page.screenshot({ path: web.shot('gap-chosen') })
    expect(param(page, 'area')).toBe('GM0995')
    expect(errors).toEqual([])
  })

  it('counts only the places the filters name, in layer and figures, and keeps them in the URL', async () => {
    const page = await web.page('1200x800')
    await page.goto(
      `${address()}/?layer=distance&area=GM0995&wheelchair=yes&approximate=include#10.5/52.51/5.47`,
    )
    await page.waitForSelector('body[data-layer="distance"][data-area="GM0995"]', {
      timeout: 30_000,
    })
    // No seed place has its wheelchair access recorded: none counts. (Choosing the area fits the
    // map, which refreshes the layer once more: wait for the answer, do not read it once.)
    await waitForLayerStatus(page, /, 0 ontmoetingsplekken geteld$/)
    expect(await page.isVisible('#kinds')).toBe(true)
    // The map shows the same selection: places that do not count are faded.
    await page.waitForSelector('body[data-counted="0"]')
    await page.selectOption('#wheelchair', '')
    await waitForLayerStatus(page, /, 15 ontmoetingsplekken geteld$/)
    await page.uncheck('#kinds input[value="community_centre"]')
    await page.waitForFunction(() => new URL(location.href).searchParams.get('kind') !== null)
    const kinds = param(page, 'kind') ?? ''
    expect(kinds.split(',')).not.toContain('community_centre')
    await page.waitForSelector('body[data-counted="11"]')
    await waitForLayerStatus(page, /, 11 ontmoetingsplekken geteld$/)
    // A planned place counts when asked: the Homerushuis (a community centre) is planned.
    await page.check('#kinds input[value="community_centre"]')
    await page.check('#statuses input[value="planned"]')
    await waitForLayerStatus(page, /, 16 ontmoetingsplekken geteld$/)
    expect(param(page, 'status')).toBe('active,planned')
    // A fixed hexagon size instead of the automatic one, kept in the URL.
    const auto = (await page.textContent('#layer-status')) ?? ''
    await page.selectOption('#res', '7')
    await page.waitForFunction((before) => {
      const text = document.querySelector('#layer-status')?.textContent ?? ''
      return text !== before && /cellen/.test(text)
    }, auto)
    expect(param(page, 'res')).toBe('7')
    const cells = (text: string) => Number(/^([\d.]+) cellen/.exec(text)?.[1]?.replace('.', ''))
    expect(cells((await page.textContent('#layer-status')) ?? '')).toBeLessThan(cells(auto))
  })
})

/** A synthetic area around the TU Delft campus with its real walk network from OpenStreetMap. */
const DELFT: SuiteOptions = {
  config: { regionBbox: NL, regionName: 'Nederland' },
  reset: 'none',
  setup: async (ctx) => {
    await loadSyntheticDelftAreas(ctx)
    await importOsmFile(ctx, requireSharedData('osm/tudelft.osm.pbf'))
  },
}

export const detours = feature('walking distances and detours in Chromium', DELFT, (web) => {
  it('draws the detour layer over the walk network with its legend, read-out and area figures', async () => {
    const page = await web.page('1200x800')
    const errors = watchErrors(page, { console: false })
    await page.goto(`${web.address()}/?layer=detour&mode=walk#14.5/52.0/4.3705`)
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
    await page.screenshot({ path: web.shot('detour') })
    // The area's figures over the network: the mean detour and who has no route.
    await chooseArea(page, 'GM9901')
    await page.waitForSelector('#area-figures dt:has-text("Omweg")')
    expect(await page.textContent('#area-figures')).toContain('600 zonder pad of weg in de buurt')
    // Switching to the straight line keeps the detour layer meaningful: it goes back to walk.
    await openSection(page, 'kaart')
    await page.selectOption('#layer', 'distance')
    await page.selectOption('#mode', 'bike')
    await page.waitForFunction(() =>
      document.querySelector('#hex-legend')?.textContent?.includes('fietsend over de weg'),
    )
    expect(param(page, 'mode')).toBe('bike')
    expect(errors).toEqual([])
  })
})
