/**
 * Languages and screens in Chromium: Dutch and English (numbers and the API's messages
 * included), and the panel as a bottom sheet on a phone.
 */
import { expect, it } from 'vitest'
import { feature, GEMEENTEN, openSheet, statusText } from './driver.js'

export const languages = feature('languages and screens in Chromium', GEMEENTEN, (web) => {
  const address = web.address

  it('switches between Dutch and English, numbers and API messages included', async () => {
    const { page } = await web.signedIn('trusted')
    await page.goto(`${address()}/?layer=distance&threshold=800&lang=en#10.5/52.51/5.47`)
    await page.waitForSelector('body[data-layer="distance"]', { timeout: 30_000 })
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await statusText(page)).toMatch(/^\d+ places on the map$/)
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
    await page.screenshot({ path: web.shot('english') })
    expect(await page.textContent('#account-title')).toBe('Your account')
    expect(await page.textContent('#account-role')).toBe('trusted contributor')
    await page.click('#add-cancel')
    await page.click('#language')
    await page.waitForURL(/lang=nl/)
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
    expect(await page.textContent('#layer-title')).toBe('Kaartlaag')
    expect(await statusText(page)).toMatch(/^\d+ plekken op de kaart$/)
  })

  it('works on a phone: the panel is a bottom sheet over the map', async () => {
    const page = await web.page('phone')
    await page.goto(`${address()}/?layer=gap&threshold=800#9.5/52.45/5.45`)
    await page.waitForSelector('body[data-layer="gap"]', { timeout: 30_000 })
    expect(await page.isVisible('#sheet-handle')).toBe(true)
    const closed = await page.locator('.panel').boundingBox()
    expect(closed!.height).toBeLessThan(844 * 0.4 + 1)
    expect(closed!.y + closed!.height).toBeCloseTo(844, 0)
    await page.screenshot({ path: web.shot('phone') })
    await openSheet(page)
    expect(await page.getAttribute('#sheet-handle', 'aria-expanded')).toBe('true')
    await page.screenshot({ path: web.shot('phone-open') })
  })
})
