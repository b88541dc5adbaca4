/**
 * Accounts, moderation and history in Chromium: signing in and out, proposals and their review,
 * failed logins, a place's history and revert, checking outdated places, contact details,
 * suggestions by visitors, and a map that is not public.
 */
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import {
  feature,
  GEMEENTEN,
  MAP_MIDDLE_X,
  mapIdle,
  PASSWORD,
  pixelOf,
  signInWithForm,
  statusText,
  visit,
  waitForToast,
  waitForZoom,
  watchErrors,
} from './driver.js'

export const accounts = feature(
  'accounts, moderation and history in Chromium',
  GEMEENTEN,
  (web, ctx) => {
    const address = web.address

    it('signs in through the form and out; a visitor gets a hint instead of edit buttons', async () => {
      const context = await web.context('1200x900')
      const page = await context.newPage()
      const errors = watchErrors(page)
      await visit(page, `${address()}/?layer=none`)
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
      await page.locator('.panel').screenshot({ path: web.shot('login-error') })
      await page.fill('#login-password', PASSWORD)
      await page.click('#login-submit')
      await page.waitForSelector('#account-info:not([hidden])')
      expect(await page.textContent('#account-name')).toBe('Fatima')
      expect(await page.textContent('#account-role')).toBe('bijdrager')
      expect(await page.isVisible('#add-place')).toBe(true)
      expect(await page.isHidden('#login-hint')).toBe(true)
      expect(await page.isHidden('#login-open')).toBe(true)
      expect(await page.getAttribute('#my-data', 'href')).toBe('/api/v1/me/export')
      await page.waitForSelector('#my-proposals-list li')
      expect(await page.textContent('#my-proposals')).toContain(
        'U heeft nog geen voorstellen gedaan.',
      )
      await page.locator('.panel').screenshot({ path: web.shot('account') })
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
      await waitForToast(page, 'U bent uitgelogd.')
      expect(await page.isHidden('#add-place')).toBe(true)
      expect(await page.isHidden('#my-proposals')).toBe(true)
      const me = await context.request.get(`${address()}/api/auth/me`)
      expect(((await me.json()) as { user: unknown }).user).toBeNull()

      // "Overal uitloggen" ends the sessions on other devices too: a save there asks to sign in
      // again, and nothing typed is lost.
      const other = await web.signedIn('contributor')
      await visit(other.page, `${address()}/?layer=none#15/52.512/5.49`)
      await other.page.click('#add-place')
      await other.page.mouse.click(MAP_MIDDLE_X, 450)
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
      // Wide: asked first; "Nee" keeps everyone signed in.
      await page.click('#logout-all')
      await page.click('#logout-all-no')
      expect((await fetch(`${address()}/api/auth/me`, { headers: bearer })).status).toBe(200)
      await page.click('#logout-all')
      await page.click('#logout-all-yes')
      await waitForToast(page, 'U bent overal uitgelogd. Uw API-tokens zijn ingetrokken.')
      expect((await fetch(`${address()}/api/auth/me`, { headers: bearer })).status).toBe(401)
      const elsewhere = await other.context.request.get(`${address()}/api/auth/me`)
      expect(((await elsewhere.json()) as { user: unknown }).user).toBeNull()
      await other.page.click('#add-form button[type=submit]')
      await other.page.waitForSelector('#account-intro:has-text("Log eerst in om dit te doen.")')
      expect(await other.page.isVisible('#login-form')).toBe(true)
      expect(await other.page.evaluate(() => document.activeElement?.id)).toBe('login-email')
      expect(await other.page.inputValue('#add-name')).toBe('Bank aan het water')
      await signInWithForm(other.page, 'contributor', { open: false })
      await other.page.waitForSelector('#account-info:not([hidden])')
      expect(await other.page.isVisible('#add')).toBe(true)
      expect(await other.page.inputValue('#add-name')).toBe('Bank aan het water')
      await other.page.click('#add-cancel')
      await other.page.click('#add-unsaved-discard')
      expect(errors).toEqual([])
    })

    it('a contributor proposes a place; a moderator sees it in the queue with its fields and approves it', async () => {
      const fatima = await web.signedIn('contributor')
      const errors = watchErrors(fatima.page)
      await visit(fatima.page, `${address()}/?layer=none#15/52.512/5.49`)
      const count = await statusText(fatima.page)
      await fatima.page.click('#add-place')
      expect(await fatima.page.textContent('#add-form button[type=submit]')).toBe(
        'Voorstel versturen',
      )
      await fatima.page.mouse.click(MAP_MIDDLE_X, 450)
      await fatima.page.fill('#add-name', 'Buurtkamer De Wissel')
      await fatima.page.check('#add-kinds input[value="living_room"]')
      await fatima.page.click('#add-form summary')
      await fatima.page.fill('#add-address', 'Wisselweg 1, Lelystad')
      await fatima.page.click('#add-form button[type=submit]')
      await waitForToast(fatima.page, 'Uw voorstel is verstuurd. Een moderator bekijkt het.')
      expect(await fatima.page.textContent('#toast')).not.toContain('Opgeslagen')
      // Nothing changed on the map: the place waits for a moderator.
      expect(await fatima.page.isHidden('#add')).toBe(true)
      expect(await statusText(fatima.page)).toBe(count)
      const search = async () =>
        (await web.json<{ features: { id: string }[] }>('/api/assets?q=Wissel')).features
      expect(await search()).toHaveLength(0)
      await fatima.page.waitForSelector('#my-proposals-list li:has-text("Buurtkamer De Wissel")')
      expect(await fatima.page.textContent('#my-proposals-list')).toContain(
        'Nieuwe plek: Buurtkamer De Wissel wacht op een moderator',
      )

      const marloes = await web.signedIn('moderator')
      errors.push(...watchErrors(marloes.page))
      await visit(marloes.page, `${address()}/?layer=none`)
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
      // The map has flown to the proposal and drawn its pin before the screenshot.
      await mapIdle(marloes.page)
      await marloes.page.screenshot({ path: web.shot('moderation-new') })
      await marloes.page.click('#proposal-approve')
      await waitForToast(marloes.page, 'Goedgekeurd: Buurtkamer De Wissel')
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
    })

    it('a contributor proposes a move; the moderator sees both positions and rejects it with a reason the contributor reads', async () => {
      const place = await web.place('Festivalplein')
      const fatima = await web.signedIn('contributor')
      await fatima.page.goto(
        `${address()}/?layer=none&place=${place.id}#16/${place.lat}/${place.lon}`,
      )
      await fatima.page.waitForSelector('#place-body h3:has-text("Festivalplein")', {
        timeout: 30_000,
      })
      await fatima.page.waitForSelector('body[data-ready="true"]')
      await fatima.page.click('#place-edit')
      // Drag the pin 120 px to the right and 60 px down.
      const pin = (await fatima.page.locator('.draft-pin').boundingBox())!
      const x = pin.x + pin.width / 2
      const y = pin.y + pin.height - 6
      await fatima.page.mouse.move(x, y)
      await fatima.page.mouse.down()
      await fatima.page.mouse.move(x + 60, y + 30, { steps: 4 })
      await fatima.page.mouse.move(x + 120, y + 60, { steps: 4 })
      await fatima.page.mouse.up()
      await fatima.page.fill('#add-name', 'Festivalplein (bij de haven)')
      await fatima.page.click('#add-form button[type=submit]')
      await waitForToast(fatima.page, 'Uw voorstel is verstuurd. Een moderator bekijkt het.')
      // The place is shown as it still is.
      await fatima.page.waitForSelector('#place-body h3')
      expect(await fatima.page.textContent('#place-body h3')).toBe('Festivalplein')

      const marloes = await web.signedIn('moderator')
      await visit(marloes.page, `${address()}/?layer=none#10/52.5/5.4`)
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
      await waitForZoom(marloes.page, 14, 10_000)
      await mapIdle(marloes.page)
      await marloes.page.screenshot({ path: web.shot('moderation-move') })
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
      await waitForToast(marloes.page, 'Afgewezen. De indiener ziet uw reden.')
      expect(await marloes.page.isHidden('#proposal-detail')).toBe(true)
      const now = await web.json<{ properties: { name: string; version: number } }>(
        `/api/assets/${place.id}`,
      )
      expect(now.properties).toMatchObject({ name: 'Festivalplein', version: 1 })

      await fatima.page.reload()
      const mine = fatima.page.locator('#my-proposals-list li:has-text("Festivalplein")')
      await mine.waitFor({ timeout: 30_000 })
      expect(await mine.textContent()).toContain('afgewezen')
      expect(await mine.textContent()).toContain(
        'Reden: Het plein ligt echt hier; verplaatsen is niet nodig.',
      )
      await fatima.page.locator('#my-proposals').screenshot({ path: web.shot('my-proposals') })
    })

    it('says so when a proposal no longer fits because the place changed meanwhile (409)', async () => {
      const place = await web.place('Oosterwold')
      const fatima = await web.signedIn('contributor')
      const proposed = await fatima.context.request.patch(`${address()}/api/assets/${place.id}`, {
        headers: { 'x-csrf-token': fatima.csrf, 'if-match': '"v1"' },
        data: { properties: { name: 'Oosterwold (Almere)' } },
      })
      expect(proposed.status()).toBe(202)
      const jeroen = await web.signedIn('trusted')
      const changed = await jeroen.context.request.patch(`${address()}/api/assets/${place.id}`, {
        headers: { 'x-csrf-token': jeroen.csrf, 'if-match': '"v1"' },
        data: { properties: { name: 'Oosterwold (stadsdeel)' } },
      })
      expect(changed.status()).toBe(200)
      const marloes = await web.signedIn('moderator')
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
      await waitForToast(marloes.page, 'Afgewezen')
    })

    it('asks to wait after too many failed logins (429)', async () => {
      const page = await web.page('1200x900')
      await visit(page, `${address()}/?layer=none`)
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
    })

    it('shows who changed what in the history; a moderator puts a place back to an earlier version', async () => {
      const place = await web.place('Golfslag')
      const jeroen = await web.signedIn('trusted')
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

      const marloes = await web.signedIn('moderator')
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
      await marloes.page.locator('#place').screenshot({ path: web.shot('history') })
      await marloes.page.click('#revert-yes')
      await waitForToast(marloes.page, 'Teruggezet naar versie 1.')
      await marloes.page.waitForFunction(
        () => document.querySelector('#place-body h3')?.textContent === 'Golfslag woonzorglocatie',
      )
      const first = (await marloes.page.textContent('#place-history li')) ?? ''
      expect(first).toContain('naar een eerdere versie teruggezet door Marloes (versie 4)')
      expect(first).toContain('Gewijzigd: Naam, Adres, Openingstijden')
      const history = await web.json<{ entries: { version: number; action: string }[] }>(
        `/api/assets/${place.id}/history`,
      )
      expect(history.entries.map((e) => e.action)).toEqual(['import', 'update', 'update', 'revert'])
    })

    it('marks a place not checked for a long time; a trusted contributor checks it', async () => {
      const place = await web.place('Duifstraat')
      await sql`update assets set verified_at = ${'2024-01-15T10:00:00Z'} where id = ${place.id}`.execute(
        ctx().handle.db,
      )
      const visitor = await web.page('1200x900')
      await visitor.goto(`${address()}/?layer=none&place=${place.id}#15/${place.lat}/${place.lon}`)
      await visitor.waitForSelector('#place-verified', { timeout: 30_000 })
      expect(await visitor.textContent('#place-verified')).toBe(
        'Mogelijk verouderd (laatst gecontroleerd op 15 jan 2024)',
      )
      expect(await visitor.locator('#place-verify').count()).toBe(0)
      await visitor.waitForSelector('body[data-ready="true"]')
      // The place's icon and its mark are drawn before they are read from the screen.
      await mapIdle(visitor)
      // The orange mark at the place's icon (the place is in the middle of the map), read from
      // the screenshot: 8 px right of and 8 px above the icon's centre.
      const shot = await visitor.screenshot({
        path: web.shot('outdated-mark'),
        clip: { x: MAP_MIDDLE_X - 60, y: 450 - 60, width: 120, height: 120 },
      })
      const pixel = await pixelOf(visitor, shot, 60 + 8, 60 - 8)
      // #f08c00: orange, a strong red, some green, no blue.
      expect(pixel[0]).toBeGreaterThan(200)
      expect(pixel[1]).toBeGreaterThan(100)
      expect(pixel[1]).toBeLessThan(180)
      expect(pixel[2]).toBeLessThan(60)

      const jeroen = await web.signedIn('trusted')
      await jeroen.page.goto(`${address()}/?layer=none&place=${place.id}`)
      await jeroen.page.waitForSelector('#place-verify', { timeout: 30_000 })
      await jeroen.page.click('#place-verify')
      await waitForToast(jeroen.page, 'Gecontroleerd: Duifstraat')
      await jeroen.page.waitForFunction(() =>
        /^Gecontroleerd door vertrouwde bijdrager op \d{1,2} [a-z]{3} 20\d\d$/.test(
          document.querySelector('#place-verified')?.textContent ?? '',
        ),
      )
      const now = await web.json<{ properties: Record<string, unknown> }>(`/api/assets/${place.id}`)
      expect(now.properties).toMatchObject({
        possibly_outdated: false,
        verified_by_role: 'trusted',
      })
      expect(await jeroen.page.textContent('#place-history li')).toMatch(
        /: gecontroleerd door Jeroen \(versie 2\)/,
      )
      await jeroen.page.locator('#place').screenshot({ path: web.shot('verified') })
    })

    it('keeps contact details for signed-in people: in the form and in the place panel', async () => {
      const place = await web.place('The Green Story')
      const jeroen = await web.signedIn('trusted')
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
      await waitForToast(jeroen.page, 'Opgeslagen: The Green Story')
      await jeroen.page.waitForSelector('#place-body a[href="mailto:anna@example.nl"]')
      const body = (await jeroen.page.textContent('#place-body')) ?? ''
      expect(body).toContain('ContactpersoonAnna de Vries')
      expect(await jeroen.page.getAttribute('#place-body a[href^="tel:"]', 'href')).toBe(
        'tel:0612345678',
      )
      // A visitor sees the place without them.
      const visitor = await web.page('1200x900')
      await visitor.goto(`${address()}/?layer=none&place=${place.id}`)
      await visitor.waitForSelector('#place-body h3', { timeout: 30_000 })
      expect(await visitor.textContent('#place-body')).not.toContain('Anna')
    })

    it('lets a visitor suggest a place when the setting allows it, past a hidden honeypot', async () => {
      await web.setting({ anonymous_suggestions: true })
      const page = await web.page('1200x900')
      await visit(page, `${address()}/?layer=none#15/52.512/5.49`)
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
      await page.mouse.click(MAP_MIDDLE_X, 450)
      await page.fill('#add-name', 'Zitbank bij de speeltuin')
      await page.check('#add-kinds input[value="bench"]')
      await page.fill('#add-note', 'Staat er sinds de zomer.')
      await page.screenshot({ path: web.shot('suggest') })
      await page.click('#add-form button[type=submit]')
      await waitForToast(page, 'Uw voorstel is verstuurd. Een moderator bekijkt het.')

      const marloes = await web.signedIn('moderator')
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
      await web.setting({ anonymous_suggestions: false })
    })

    it('shows only the login when the map is not public', async () => {
      await web.setting({ public_map: false })
      try {
        const page = await web.page('1200x900')
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
        await page.screenshot({ path: web.shot('private') })
        await signInWithForm(page, 'contributor', { open: false })
        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
        expect(await statusText(page)).toMatch(/^\d+ plekken op de kaart$/)
        expect(await page.isVisible('#search')).toBe(true)
        expect(errors).toEqual([])
      } finally {
        await web.setting({ public_map: true })
      }
    })
  },
)
