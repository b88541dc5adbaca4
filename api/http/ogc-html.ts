import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/**
 * The OGC API Features pages for people (the `html` conformance class): plain HTML built with
 * Hono's `html` tag, which escapes every interpolated value. Each page links to its JSON.
 */

type Html = HtmlEscapedString

const h = (strings: TemplateStringsArray, ...values: unknown[]): Html =>
  html(strings, ...values) as Html

export interface Link {
  readonly href: string
  readonly rel: string
  readonly type: string
  readonly title?: string
}

function page(title: string, links: readonly Link[], body: Html): string {
  const json = links.find((l) => l.rel === 'alternate' && l.type.includes('json'))
  return h`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Buurtkaart OGC API Features</title></head>
<body>
<header><p><a href="${rootOf(links)}">Buurtkaart OGC API Features</a>${json ? h` · <a href="${json.href}">JSON</a>` : ''}</p></header>
<main><h1>${title}</h1>${body}</main>
</body></html>`.toString()
}

function rootOf(links: readonly Link[]): string {
  const self = links.find((l) => l.rel === 'self')?.href ?? ''
  const at = self.indexOf('/ogc')
  return at >= 0 ? self.slice(0, at + 4) : self
}

const linkList = (links: readonly Link[]) =>
  h`<ul>${links.map((l) => h`<li><a href="${l.href}">${l.title ?? l.rel}</a> (${l.rel}, ${l.type})</li>`)}</ul>`

export function landingHtml(title: string, description: string, links: readonly Link[]): string {
  return page(title, links, h`<p>${description}</p>${linkList(links)}`)
}

export function conformanceHtml(classes: readonly string[], links: readonly Link[]): string {
  return page('Conformance', links, h`<ul>${classes.map((c) => h`<li>${c}</li>`)}</ul>`)
}

export interface CollectionView {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly links: readonly Link[]
  readonly crs: readonly string[]
  readonly storageCrs: string
}

function collectionBody(c: CollectionView): Html {
  const items = c.links.find((l) => l.rel === 'items' && l.type === 'text/html')
  return h`<section><h2>${items ? h`<a href="${items.href}">${c.title}</a>` : c.title}</h2>
<p>${c.description}</p>
<p>Coordinate reference systems: ${c.crs.join(', ')}; stored in ${c.storageCrs}.</p></section>`
}

export function collectionsHtml(list: readonly CollectionView[], links: readonly Link[]): string {
  return page('Collections', links, h`${list.map(collectionBody)}`)
}

export function collectionHtml(c: CollectionView, links: readonly Link[]): string {
  return page(c.title, links, h`${collectionBody(c)}${linkList(c.links)}`)
}

export interface FeatureView {
  readonly id: string
  readonly href: string
  readonly properties: Record<string, unknown>
}

const cell = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v)

export function itemsHtml(
  title: string,
  features: readonly FeatureView[],
  counts: { matched: number; returned: number },
  links: readonly Link[],
): string {
  const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties)))]
  const nav = links.filter((l) => (l.rel === 'next' || l.rel === 'prev') && l.type === 'text/html')
  return page(
    title,
    links,
    h`<p>${counts.returned} of ${counts.matched}.</p>
<nav>${nav.map((l) => h` <a href="${l.href}" rel="${l.rel}">${l.rel === 'next' ? 'Next' : 'Previous'}</a>`)}</nav>
<table><thead><tr><th>id</th>${keys.map((k) => h`<th>${k}</th>`)}</tr></thead>
<tbody>${features.map(
      (f) =>
        h`<tr><td><a href="${f.href}">${f.id}</a></td>${keys.map((k) => h`<td>${cell(f.properties[k])}</td>`)}</tr>`,
    )}</tbody></table>`,
  )
}

export function itemHtml(title: string, feature: FeatureView, links: readonly Link[]): string {
  return page(
    title,
    links,
    h`<table><tbody>${Object.entries(feature.properties).map(
      ([k, v]) => h`<tr><th>${k}</th><td>${cell(v)}</td></tr>`,
    )}</tbody></table>`,
  )
}
