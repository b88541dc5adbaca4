import fs from 'node:fs'
import path from 'node:path'
import { OpenAPIHono } from '@hono/zod-openapi'
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { z } from 'zod'
import { formatDate } from '../domain/format.js'
import type { Lang } from '../domain/messages.js'
import { STATEMENT as S, STATEMENT_DATE } from '../domain/statement-messages.js'
import type { AppEnv } from './env.js'

const CSS = fs.readFileSync(path.join(import.meta.dirname, 'assets', 'statement.css'), 'utf8')

type Html = HtmlEscapedString
const h = (strings: TemplateStringsArray, ...values: unknown[]): Html =>
  html(strings, ...values) as Html

/** A contact that is an e-mail address or a web address, as a link; escaped by `html`. */
function contactLink(contact: string): Html {
  const href = contact.includes('@') && !/^https?:/.test(contact) ? `mailto:${contact}` : contact
  return h`<a href="${href}">${contact}</a>`
}

/**
 * The accessibility statement as one page (server-rendered, no script): a skip link, the
 * language on <html>, landmarks (banner, navigation, main, contentinfo) and headings in order.
 */
export function statementHtml(
  lang: Lang,
  o: { site: string | null; contact?: string | undefined },
) {
  const t = (m: { nl: string; en: string }) => m[lang]
  const other: Lang = lang === 'nl' ? 'en' : 'nl'
  const otherHref = other === 'en' ? '/accessibility' : '/toegankelijkheid'
  const day = formatDate(`${STATEMENT_DATE}T12:00:00Z`, lang)
  const feedback = t(S.feedback(o.contact))
  // The contact inside the sentence becomes a link; the rest of the sentence stays text.
  const feedbackHtml =
    o.contact && feedback.includes(o.contact)
      ? h`${feedback.slice(0, feedback.indexOf(o.contact))}${contactLink(o.contact)}${feedback.slice(feedback.indexOf(o.contact) + o.contact.length)}`
      : h`${feedback}`
  const sections = S.sections.map(
    (s) =>
      h`<section aria-labelledby="${s.id}"><h2 id="${s.id}">${t(s.title)}</h2>${(s.paragraphs ?? []).map((p) => h`<p>${t(p)}</p>`)}${s.items ? h`<ul>${s.items.map((i) => h`<li>${t(i)}</li>`)}</ul>` : ''}</section>`,
  )
  return h`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(S.title)} · Buurtkaart</title>
<link rel="stylesheet" href="/toegankelijkheid.css">
</head>
<body>
<a class="skip" href="#inhoud">${t(S.skip)}</a>
<header class="site">
<nav aria-label="${t(S.siteNav)}"><a href="/?lang=${lang}">← ${t(S.back)}</a> <a href="${otherHref}" hreflang="${other}" lang="${other}">${t(S.otherLanguage)}</a></nav>
</header>
<main id="inhoud" tabindex="-1">
<h1>${t(S.heading)}</h1>
<p class="intro">${t(S.intro(o.site))}</p>
<nav aria-label="${t(S.contents)}" class="toc"><ul>${S.sections.map((s) => h`<li><a href="#${s.id}">${t(s.title)}</a></li>`)}<li><a href="#contact">${t(S.feedbackTitle)}</a></li></ul></nav>
${sections}
<section aria-labelledby="contact"><h2 id="contact">${t(S.feedbackTitle)}</h2><p>${feedbackHtml}</p></section>
<section aria-labelledby="handhaving"><h2 id="handhaving">${t(S.enforcementTitle)}</h2><p>${t(S.enforcement)}</p></section>
</main>
<footer class="site"><p>${t(S.dateTitle)}: ${t(S.date(day))}</p></footer>
</body>
</html>`.toString()
}

/** GET /toegankelijkheid (Dutch; ?lang=en English), /accessibility (English), and its style. */
export function statementRoutes(deps: {
  publicUrl?: string | undefined
  contact?: string | undefined
}) {
  const app = new OpenAPIHono<AppEnv>()
  for (const [p, lang] of [
    ['/toegankelijkheid', 'nl'],
    ['/accessibility', 'en'],
  ] as const) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: p,
      summary:
        lang === 'nl'
          ? 'The accessibility statement (toegankelijkheidsverklaring), in Dutch; ?lang=en for English'
          : 'The accessibility statement, in English',
      request: { query: z.object({ lang: z.enum(['nl', 'en']).optional() }) },
      responses: {
        200: { description: 'The statement', content: { 'text/html': { schema: z.string() } } },
      },
    })
    app.get(p, (c) => {
      const asked = c.req.query('lang')
      const chosen: Lang = asked === 'en' || asked === 'nl' ? asked : lang
      // The site is named by its configured address, never by the request's Host header.
      c.header('cache-control', 'public, max-age=3600')
      c.header('content-language', chosen)
      return c.html(statementHtml(chosen, { site: deps.publicUrl ?? null, contact: deps.contact }))
    })
  }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/toegankelijkheid.css',
    summary: 'The statement’s style sheet',
    responses: { 200: { description: 'CSS', content: { 'text/css': { schema: z.string() } } } },
  })
  app.get('/toegankelijkheid.css', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    return c.body(CSS, 200, { 'content-type': 'text/css; charset=utf-8' })
  })
  return app
}
