/**
 * Planning in Chromium: the report of an area (a printable page and its PDF), what-if scenarios
 * (a proposed place, a place that closes) and suggestions for where the next place should go.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { call } from '../helpers/backends.js'
import {
  failedResponses,
  feature,
  GEMEENTEN_AND_WIJKEN,
  MAP_MIDDLE_X,
  openSection,
  param,
  waitForZoom,
  watchErrors,
} from './driver.js'

const execFileAsync = promisify(execFile)

export const planning = feature('planning in Chromium', GEMEENTEN_AND_WIJKEN, (web, ctx) => {
  const address = web.address

  it('makes a report from the area panel: a printable page, and a PDF with the same figure', async () => {
    const context = await web.context('1200x900')
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${address()}/?layer=none&area=GM0995&section=rapport`)
    await page.waitForSelector('body[data-area="GM0995"]', { timeout: 30_000 })
    const headline = ((await page.textContent('.headline')) ?? '').replace(/\s+/g, ' ')
    const share = /\(([\d,]+)%\)/.exec(headline)?.[1] ?? ''
    expect(share).not.toBe('')
    expect(await page.getAttribute('#report-link', 'href')).toBe(
      '/api/v1/reports/GM0995?lang=nl&mode=line&thresholdLine=800',
    )
    const [report] = await Promise.all([context.waitForEvent('page'), page.click('#report-link')])
    await report.waitForLoadState('load')
    expect(await report.textContent('h1')).toBe('Ontmoetingsplekken in Lelystad')
    expect(await report.textContent('#print-report')).toBe('Afdrukken of opslaan als PDF')
    const pdf = web.shot('report', 'pdf')
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
      pdf.replace(/\.pdf$/, ''),
    ])
    expect(errors).toEqual([])
  })

  it('tries a what-if: a proposed place in a gap, dragged, saved and in the report', async () => {
    const { context, page } = await web.signedIn('trusted')
    const errors = watchErrors(page)
    const failed = failedResponses(page)
    await page.goto(`${address()}/?layer=gap&area=GM0995&section=gebied`)
    await page.waitForSelector('body[data-area="GM0995"][data-layer="gap"]', {
      timeout: 30_000,
    })
    // The largest gap: the map flies there, the gap in the middle.
    await page.click('button[data-gap="0"]')
    await waitForZoom(page, 12.9)
    await page.click('#scenario-open')
    expect(await page.isVisible('#scenario')).toBe(true)
    expect(await page.inputValue('#scenario-kind')).toBe('living_room')
    expect(await page.textContent('#scenario-result')).toContain('Nog geen plek neergezet')
    await page.mouse.click(MAP_MIDDLE_X, 450)
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
    expect(param(page, 'whatif')).toBe('1')
    const added = param(page, 'add')
    expect(added).toMatch(/^5\.\d+,52\.\d+,living_room$/)
    await page.screenshot({ path: web.shot('scenario') })
    // Drag the diamond: the figure follows while it moves, before it is dropped.
    const pin = (await page.locator('.scenario-pin').boundingBox())!
    const from = { x: pin.x + pin.width / 2, y: pin.y + pin.height / 2 }
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    await page.mouse.move(from.x + 160, from.y + 90, { steps: 10 })
    await page.waitForFunction(
      (before) => document.querySelector('#scenario-gain')?.textContent !== before,
      first,
      { timeout: 10_000 },
    )
    await page.mouse.up()
    // The last answer is for where it was dropped (and the URL says where that is): the drop
    // asks once more, and the result is busy until that answer is shown.
    await page.waitForFunction(
      (before) => new URL(location.href).searchParams.get('add') !== before,
      added,
    )
    await page.waitForSelector('#scenario-result:not([aria-busy])')
    const dragged = await gainOf()
    expect(dragged).toMatch(/^\+[\d.]+ inwoners binnen 800 m hemelsbreed$/)
    expect(dragged).not.toBe(first)
    const moved = (await page.locator('.scenario-pin').boundingBox())!
    expect(moved.x - pin.x).toBeGreaterThan(100)
    await page.screenshot({ path: web.shot('scenario-dragged') })
    // Saved under a name, then the report with the scenario.
    await page.click('#scenario-save button[type=submit]')
    expect(await page.textContent('#scenario-error')).toBe('Geef het scenario een naam.')
    await page.fill('#scenario-name', 'Huiskamer in het grootste gat')
    await page.click('#scenario-save button[type=submit]')
    await page.waitForSelector('#scenario-saved:not([hidden])')
    expect(await page.textContent('#toast')).toContain('Opgeslagen: Huiskamer in het grootste gat')
    const id = param(page, 'scenario') ?? ''
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(await page.getAttribute('#scenario-report', 'href')).toBe(
      `/api/v1/reports/GM0995?lang=nl&mode=line&thresholdLine=800&scenario=${id}`,
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
    expect(param(page, 'scenario')).toBe(id)
    // Leaving the scenario takes the diamond and the difference layer away.
    await page.click('#scenario-leave')
    expect(await page.locator('.scenario-pin').count()).toBe(0)
    await page.waitForSelector('body[data-scenario-cells="0"]')
    expect(param(page, 'whatif')).toBeNull()
    expect(await page.isHidden('#scenario')).toBe(true)
    expect(failed).toEqual([])
    expect(errors).toEqual([])
  })

  it('lets a meeting place close in the scenario: who loses it, and back open', async () => {
    const page = await web.page('1200x900')
    const errors = watchErrors(page)
    const { id: hestia } = await web.place('Hof van Hestia')
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
    // The scenario is open in the Gebied section while the place shows in its own.
    expect(await page.getAttribute('#scenario', 'hidden')).toBeNull()
    await page.click('#place-scenario-close')
    await openSection(page, 'gebied')
    await page.waitForSelector('#scenario-gain')
    expect(await page.textContent('#scenario-places')).toContain('Gaat dicht: Hof van Hestia')
    expect(await page.textContent('#scenario-gain')).toMatch(
      /^−[\d.]+ inwoners binnen 800 m hemelsbreed$/,
    )
    expect(await page.textContent('#scenario-legend')).toContain('Niet meer binnen de grens')
    await page.waitForFunction(() => Number(document.body.dataset.scenarioCells) > 0)
    expect(param(page, 'close')).toBe(hestia)
    expect(await page.isHidden('#place-scenario-close')).toBe(true)
    await page.click('#scenario-places button[data-reopen="0"]')
    await page.waitForSelector('body[data-scenario-cells="0"]')
    expect(await page.textContent('#scenario-result')).toContain('Nog geen plek neergezet')
    expect(param(page, 'close')).toBeNull()
    expect(errors).toEqual([])
    await page.context().close()
    expect((await precision('town')).status).toBe(200)
  })

  it('suggests where the next place should go; the first one gains in the scenario what it promised', async () => {
    const page = await web.page('1200x900')
    const errors = watchErrors(page)
    await page.goto(`${address()}/?layer=gap&area=GM0995&section=gebied`)
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
    await page.screenshot({ path: web.shot('next') })
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
    expect(await page.getAttribute('#next-list li:first-child button', 'aria-pressed')).toBe('true')
    expect(await page.locator('.scenario-pin').count()).toBe(1)
    await page.screenshot({ path: web.shot('next-chosen') })
    // Removing the proposed place can be undone.
    await page.click('#scenario-places button[data-remove="0"]')
    expect(await page.locator('.scenario-pin').count()).toBe(0)
    await page.click('#toast-action')
    expect(await page.locator('.scenario-pin').count()).toBe(1)
    await page.waitForSelector('#scenario-gain')
    expect(await page.textContent('#scenario-gain')).toBe(`${promised} binnen 800 m hemelsbreed`)
    expect(errors).toEqual([])
  })
})
