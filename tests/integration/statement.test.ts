import { expect, it } from 'vitest'
import { call, describeBackends } from '../helpers/backends.js'

describeBackends(
  'the accessibility statement',
  (ctx) => {
    it('is served in Dutch at /toegankelijkheid with the parts of the model statement', async () => {
      const res = await call(ctx().anon, 'GET', '/toegankelijkheid')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/text\/html/)
      const page = res.text
      expect(page).toContain('<html lang="nl">')
      // A skip link to the main landmark, a banner, navigation and a footer.
      expect(page).toMatch(/<a class="skip" href="#inhoud">Naar de inhoud<\/a>/)
      expect(page).toContain('<main id="inhoud"')
      expect(page).toMatch(/<header class="site">[\s\S]*<nav aria-label=/)
      expect(page).toContain('<footer class="site">')
      expect(page).toContain('<h1>Toegankelijkheids\u00adverklaring</h1>')
      // Status, what was tested, how, known limits, feedback, enforcement, date.
      for (const part of [
        'Status: eerste maatregelen genomen',
        'WCAG',
        'EN 301 549',
        'axe-core (@axe-core/playwright) in een echte Chromium-browser',
        'Met alleen het toetsenbord',
        '390 × 844',
        '1280 × 800',
        'De kaart zelf is een tekening',
        'Plekken in beeld',
        'Iets werkt niet? Laat het ons weten',
        '<a href="mailto:toegankelijkheid@example.nl">toegankelijkheid@example.nl</a>',
        'Nationale ombudsman',
        'opgesteld op 6 dec 2026',
      ]) {
        expect(page, part).toContain(part)
      }
      expect(page).toContain('<a href="/accessibility" hreflang="en" lang="en">English</a>')
      // The CSP allows no inline script or style.
      expect(page).not.toMatch(/<script|<style| style="/)
      const css = await call(ctx().anon, 'GET', '/toegankelijkheid.css')
      expect(css.headers.get('content-type')).toMatch(/text\/css/)
    })

    it('is served in English at /accessibility and with ?lang=en', async () => {
      for (const url of ['/accessibility', '/toegankelijkheid?lang=en']) {
        const res = await call(ctx().anon, 'GET', url)
        expect(res.status).toBe(200)
        expect(res.text).toContain('<html lang="en">')
        expect(res.text).toContain('<h1>Accessibility statement</h1>')
        expect(res.text).toContain('Known limits')
        expect(res.text).toContain('Skip to the content')
        expect(res.text).not.toContain('Wat nog niet goed werkt')
      }
    })

    it('is public, also when the map is not', async () => {
      await call(ctx().app, 'PATCH', '/api/settings', { public_map: false })
      expect((await call(ctx().anon, 'GET', '/toegankelijkheid')).status).toBe(200)
      await call(ctx().app, 'PATCH', '/api/settings', { public_map: true })
    })
  },
  { reset: 'none', config: { contact: 'toegankelijkheid@example.nl' } },
)
