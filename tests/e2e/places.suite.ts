/**
 * Places in Chromium: opened from the map, the URL or the search; added, edited by two people at
 * once, deleted and undone, kept while unsaved, shown safely; and a large register from vector
 * tiles.
 */
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { expect, it } from 'vitest'
import {
  failedResponses,
  feature,
  GEMEENTEN,
  MAP_MIDDLE_X,
  mapIdle,
  openSection,
  param,
  pixelAt,
  statusText,
  visit,
  waitForStatus,
  waitForToast,
  waitForZoom,
  watchErrors,
  zoomOf,
} from './driver.js'

export const places = feature('places in Chromium', GEMEENTEN, (web) => {
  const address = web.address

  /** Properties of a place, as a script without an account reads them. */
  const propertiesOf = async (id: string) =>
    (await web.json<{ properties: Record<string, unknown> }>(`/api/assets/${id}`)).properties

  it('opens a place on click with its fields and history; Escape closes; the URL reopens it', async () => {
    const page = await web.page('1200x800')
    const errors = watchErrors(page, { console: false })
    // Binnentuin Het Rode Klif (seed, town precision) sits in the middle of the map.
    await visit(page, `${address()}/?layer=none#14/52.509/5.4725`)
    // A person clicks the place once the map shows it (the places layer drawn, not only loaded).
    await mapIdle(page)
    await page.mouse.click(MAP_MIDDLE_X, 400)
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
    const id = param(page, 'place')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    await page.locator('#place').screenshot({ path: web.shot('place') })
    await page.keyboard.press('Escape')
    expect(await page.isHidden('#place')).toBe(true)
    expect(param(page, 'place')).toBeNull()
    await page.goto(`${address()}/?layer=none&place=${id}`)
    await page.waitForSelector('#place-body h3')
    expect(await page.textContent('#place-body h3')).toBe('Binnentuin Het Rode Klif')
    expect(errors).toEqual([])
  })

  it('finds a place by name and opens it', async () => {
    const page = await web.page('1200x800')
    await visit(page, `${address()}/?layer=none`)
    await page.fill('#search', 'hestia')
    await page.waitForSelector('#search-results button')
    expect(await page.locator('#search-results button').count()).toBe(1)
    await page.click('#search-results button')
    await page.waitForSelector('#place-body h3')
    expect(await page.textContent('#place-body h3')).toBe('Hof van Hestia')
    // The place opened its section; the search is one tab away.
    expect(param(page, 'section')).toBeNull()
    await openSection(page, 'kaart')
    await page.fill('#search', 'bestaat-niet')
    expect(await page.textContent('#search-results')).toContain('Geen plek gevonden')
  })

  it("adds a place: position on the map, missing fields and the API's field errors inline, saved and shown", async () => {
    const { page } = await web.signedIn('trusted')
    const errors = watchErrors(page, { console: false })
    await visit(page, `${address()}/?layer=none#15/52.512/5.49`)
    await page.click('#add-place')
    await page.click('#add-form button[type=submit]')
    expect(await page.textContent('#err-geometry')).toBe(
      'Kies eerst de plek op de kaart (of gebruik uw locatie).',
    )
    await page.mouse.click(MAP_MIDDLE_X, 450)
    expect(await page.textContent('#add-where')).toContain('Plek gekozen')
    // Name and kind are checked before anything is sent.
    await page.click('#add-form button[type=submit]')
    expect(await page.textContent('#err-name')).toBe('Vul een naam in.')
    expect(await page.textContent('#err-kind')).toBe('Kies wat voor plek het is.')
    expect(await page.getAttribute('#add-name', 'aria-invalid')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-name')
    await page.fill('#add-name', 'Bankje bij de vijver')
    await page.check('#add-kinds input[value="bench"]')
    await page.click('#add-form summary')
    await page.fill('#add-opening_hours', 'soms')
    await page.click('#add-form button[type=submit]')
    await page.waitForFunction(
      () => (document.querySelector('#err-opening_hours')?.textContent ?? '') !== '',
    )
    expect(await page.textContent('#err-opening_hours')).toContain(
      'Dit woord ken ik niet in openingstijden',
    )
    expect(await page.textContent('#err-name')).toBe('')
    // Opening hours as people write them: the form says what will be stored, or what is wrong.
    await page.fill('#add-opening_hours', '9 tot 5')
    await page.waitForFunction(
      () => (document.querySelector('#err-opening_hours')?.textContent ?? '') !== '',
    )
    expect(await page.getAttribute('#add-opening_hours', 'aria-invalid')).toBe('true')
    await page.fill('#add-opening_hours', 'di-do 10-16 uur')
    await page.waitForFunction(
      () => (document.querySelector('#hint-opening_hours')?.textContent ?? '') !== '',
    )
    expect(await page.textContent('#hint-opening_hours')).toBe(
      'Wordt opgeslagen als Tu-Th 10:00-16:00 (de schrijfwijze van OpenStreetMap).',
    )
    expect(await page.textContent('#err-opening_hours')).toBe('')
    await page.click('#add-form button[type=submit]')
    await waitForToast(page, 'Opgeslagen: Bankje bij de vijver')
    await waitForStatus(page, '17 plekken op de kaart')
    await page.waitForFunction(
      () => document.querySelector('#place-body h3')?.textContent === 'Bankje bij de vijver',
    )
    expect(await page.isHidden('#add')).toBe(true)
    await page.screenshot({ path: web.shot('added') })
    // After a reload it is still there, and search finds it.
    await page.reload()
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
    await openSection(page, 'kaart')
    await page.fill('#search', 'vijver')
    await page.waitForSelector('#search-results button:has-text("Bankje bij de vijver")')
    expect(errors).toEqual([])
  })

  it('shows an edit conflict between two people, and merges without losing either change', async () => {
    const { id } = await web.place('HavenHart')
    // Two people with the trusted role: their changes apply directly.
    const { page: pageA } = await web.signedIn('trusted')
    const { page: pageB } = await web.signedIn('trusted2')
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
    await waitForToast(pageA, 'Opgeslagen: HavenHart (Almere Haven)')

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
    await pageB.screenshot({ path: web.shot('conflict') })
    // Nothing was overwritten yet.
    expect(await propertiesOf(id)).toMatchObject({ name: 'HavenHart (Almere Haven)', version: 2 })

    await pageB.click('#conflict-mine')
    await waitForToast(pageB, 'Opgeslagen: HavenHart 2.0 buurtkamer')
    // B's fields on top of A's version: A's address is kept.
    expect(await propertiesOf(id)).toMatchObject({
      name: 'HavenHart 2.0 buurtkamer',
      address: 'Sluis 1, Almere Haven',
      opening_hours: 'Mo-Fr 10:00-16:00',
      version: 3,
    })
  })

  it('deletes after a confirmation and undoes it', async () => {
    const { id } = await web.place('Hof van Hestia')
    // Bringing a deleted place back (undo) is for moderators.
    const { page } = await web.signedIn('moderator')
    await page.goto(`${address()}/?layer=none&place=${id}`)
    await page.waitForSelector('#place-body h3:has-text("Hof van Hestia")', { timeout: 30_000 })
    const count = Number(/^(\d+)/.exec(await statusText(page))?.[1])
    await page.click('#place-delete')
    expect(await page.isVisible('#place-confirm')).toBe(true)
    await page.click('#place-delete-yes')
    await waitForToast(page, 'Verwijderd: Hof van Hestia')
    await waitForStatus(page, `${count - 1} plekken op de kaart`)
    expect((await fetch(`${address()}/api/assets/${id}`)).status).toBe(410)
    await page.click('#toast-action')
    await waitForToast(page, 'Ongedaan gemaakt')
    await waitForStatus(page, `${count} plekken op de kaart`)
    expect((await fetch(`${address()}/api/assets/${id}`)).status).toBe(200)
  })

  it('keeps unsaved input: asks before closing, and brings it back after a reload', async () => {
    const { page } = await web.signedIn('trusted')
    await visit(page, `${address()}/?layer=none`)
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
  })

  it('shows a name with <script> in it as text', async () => {
    const name = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    const { context, page, csrf } = await web.signedIn('trusted')
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
    await openSection(page, 'kaart')
    await page.fill('#search', 'script')
    await page.waitForSelector('#search-results button')
    expect(await page.textContent('#search-results button')).toContain('<script>')
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined()
  })

  it('draws a large register from vector tiles: server clusters that zoom in on a click, a point opens its place, the list asks the API, an edit reloads the tiles', async () => {
    const { id: golfslag } = await web.place('Golfslag')
    // Every place (earlier tests of this suite may have added some), counted page by page.
    let total = 0
    for (let url: string | undefined = '/api/assets?limit=1000'; url;) {
      const body: { features: unknown[]; links: { rel: string; href: string }[] } =
        await web.json(url)
      total += body.features.length
      url = body.links.find((l) => l.rel === 'next')?.href
    }
    expect(total).toBeGreaterThanOrEqual(16)
    // Where the server puts the cluster of the three Almere Haven places at zoom 10.
    const tileJson = await web.json<{ tiles: string[] }>('/tiles/assets.json')
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
    const { page } = await web.signedIn('moderator')
    const errors = watchErrors(page)
    const failed = failedResponses(page)
    const requests: URL[] = []
    page.on('request', (r) => requests.push(new URL(r.url())))
    const assetTiles = () =>
      requests.filter((u) => /^\/api\/v1\/tiles\/assets\/\d+\/\d+\/\d+$/.test(u.pathname))
    await visit(
      page,
      `${address()}/?layer=none&tiles=assets#${z}/${cluster.lat.toFixed(6)}/${cluster.lon.toFixed(6)}`,
    )
    expect(await page.getAttribute('body', 'data-places')).toBe('tiles')
    // The count comes from the clusters of the zoom-0 tile.
    expect(await statusText(page)).toBe(`${total} plekken op de kaart`)
    expect(param(page, 'tiles')).toBe('assets')
    await expect
      .poll(() => assetTiles().some((u) => u.pathname.startsWith(`/api/v1/tiles/assets/${z}/`)), {
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
          const [r, g, b] = await pixelAt(page, MAP_MIDDLE_X, 459)
          return g! > 100 && g! > r! + 40 && g! > b!
        },
        { timeout: 15_000 },
      )
      .toBe(true)
    await page.screenshot({ path: web.shot('asset-tiles') })

    // A click on the cluster zooms in two levels, centred on it; the list follows the move.
    const listAfterMove = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/v1/assets',
    )
    await page.mouse.click(MAP_MIDDLE_X, 450)
    await waitForZoom(page, z + 1.99)
    expect(await zoomOf(page)).toBeCloseTo(z + 2, 1)
    const [, lat, lon] = (await page.evaluate(() => location.hash.slice(1))).split('/').map(Number)
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
    const lists = requests.filter((u) => u.pathname === '/api/v1/assets')
    expect(lists.length).toBeGreaterThan(0)
    for (const u of lists) {
      expect(u.searchParams.get('limit')).toBe('100')
      expect(u.searchParams.get('bbox')).toMatch(/^[\d.-]+,[\d.-]+,[\d.-]+,[\d.-]+$/)
    }

    // A point at street level opens its place.
    await page.evaluate(() => (location.hash = '#15/52.7105/5.748'))
    await page.waitForFunction(() => location.hash.startsWith('#15/'))
    await expect
      .poll(() => assetTiles().some((u) => u.pathname.startsWith('/api/v1/tiles/assets/15/')), {
        timeout: 15_000,
      })
      .toBe(true)
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#list-items button')].some((b) =>
        b.textContent?.startsWith('Golfslag'),
      ),
    )
    // The point is drawn (its tile loaded and faded in) before it is clicked.
    await mapIdle(page)
    await page.mouse.click(MAP_MIDDLE_X, 450)
    await page.waitForSelector(`body[data-place="${golfslag}"]`, { timeout: 15_000 })
    expect(await page.textContent('#place-body h3')).toBe('Golfslag woonzorglocatie')
    expect(await page.textContent('#list-count')).toBe('1 plekken in beeld')

    // An edit: a new TileJSON (one more request for it) and tiles of the new data version.
    const tileJsons = () =>
      requests.filter((u) => u.pathname === '/api/v1/tiles/assets.json').length
    const jsonsBefore = tileJsons()
    await page.click('#place-delete')
    await page.click('#place-delete-yes')
    await waitForToast(page, 'Verwijderd: Golfslag woonzorglocatie')
    await waitForStatus(page, `${total - 1} plekken op de kaart`)
    expect(tileJsons()).toBe(jsonsBefore + 1)
    await expect
      .poll(
        () =>
          assetTiles().some(
            (u) =>
              u.pathname.startsWith('/api/v1/tiles/assets/15/') &&
              u.searchParams.get('v') !== firstVersion,
          ),
        { timeout: 15_000 },
      )
      .toBe(true)
    await page.click('#toast-action')
    await waitForToast(page, 'Ongedaan gemaakt')
    await waitForStatus(page, `${total} plekken op de kaart`)

    // Never the whole register as GeoJSON pages.
    expect(
      requests.filter(
        (u) => u.pathname === '/api/v1/assets' && u.searchParams.get('limit') === '1000',
      ),
    ).toEqual([])
    expect(requests.filter((u) => u.searchParams.has('cursor'))).toEqual([])
    expect(errors).toEqual([])
    expect(failed).toEqual([])
  })
})
