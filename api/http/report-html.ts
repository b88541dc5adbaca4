import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import QRCode from 'qrcode'
import {
  formatDate as date,
  formatDistance as km,
  formatNumber as fmt,
  formatShare as pct,
} from '../domain/format.js'
import { lonLatToRd } from '../domain/geo.js'
import { KINDS } from '../domain/kinds.js'
import type { Bilingual } from '../domain/messages.js'
import { REPORT as T, shortAreaName } from '../domain/report-messages.js'
import type { Report } from '../services/report.js'

/**
 * The gap report as one printable HTML page (A4), with the map and charts as inline SVG. Built
 * with Hono's `html` tag, which escapes every interpolated value; `raw` marks only the SVG
 * paths, built here from numbers.
 */

type Html = HtmlEscapedString

/** `html` for parts that are all synchronous (nothing here awaits), typed as such. */
const h = (strings: TemplateStringsArray, ...values: unknown[]): Html =>
  html(strings, ...values) as Html

/**
 * The report's link as a QR code in inline SVG: one path of the dark modules, drawn from the
 * matrix the `qrcode` package computes (error correction M: still readable on a creased print).
 */
export function qrSvg(text: string, label: string): Html {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = modules.size
  const quiet = 4
  let d = ''
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (modules.data[row * n + col]) d += `M${col + quiet},${row + quiet}h1v1h-1z`
    }
  }
  const size = n + 2 * quiet
  // Path data made of numbers only: safe as it is.
  return h`<svg class="qr" viewBox="0 0 ${size} ${size}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${raw(d)}" fill="#000"/></svg>`
}

/** A length for a scale bar: 1, 2 or 5 × a power of ten metres, at most `maxM`. */
function niceLength(maxM: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(maxM, 1)))
  return [5, 2, 1].map((k) => k * p).find((m) => m <= maxM) ?? p
}

/**
 * The area map in RD New (metres, north up): populated cells coloured by gap, the cells a
 * scenario brings within reach, the outlines and names of the areas one level down, places and
 * proposed places, and a scale bar.
 */
function mapSvg(
  r: Report,
  o: { titleId: string; focus?: readonly [number, number, number, number] } = {
    titleId: 'map-title',
  },
): Html | '' {
  const lang = r.lang
  const pts: [number, number][] = []
  const project = (lon: number, lat: number) => {
    const p = lonLatToRd(lon, lat)
    pts.push(p)
    return p
  }
  const cells = r.map.cells.map((c) => ({
    ...c,
    xy: c.ring.map(([lon, lat]) => project(lon, lat)),
  }))
  const ringsOf = (g: unknown, into: [number, number][][], fit: boolean) => {
    const geom = g as { type: string; coordinates: unknown }
    const polys =
      geom.type === 'MultiPolygon'
        ? (geom.coordinates as number[][][][])
        : geom.type === 'Polygon'
          ? [geom.coordinates as number[][][]]
          : []
    for (const poly of polys)
      for (const ring of poly)
        into.push(ring.map(([lon, lat]) => (fit ? project(lon!, lat!) : lonLatToRd(lon!, lat!))))
  }
  // The map is fitted to where people live, the places and the names, not to the outline: a
  // gemeente's outline may run far along a dike (Lelystad's to the Houtribdijk) or over water.
  const places = r.map.places.map((p) => project(p.lon, p.lat))
  const proposed = r.map.proposed.map((p) => project(p.lon, p.lat))
  const named = [...r.map.areas]
    .sort((a, b) => b.inhabitants - a.inhabitants)
    .flatMap((a) =>
      a.label ? [{ name: shortAreaName(a.name), at: project(a.label[0], a.label[1]) }] : [],
    )
  const fitted = pts.length > 0
  const rings: [number, number][][] = []
  r.map.outlines.forEach((g) => ringsOf(g, rings, !fitted))
  const inner: [number, number][][] = []
  r.map.areas.forEach((a) => ringsOf(a.outline, inner, false))
  if (pts.length === 0) return ''
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of o.focus ? [o.focus.slice(0, 2), o.focus.slice(2)] : pts) {
    minX = Math.min(minX, x!)
    maxX = Math.max(maxX, x!)
    minY = Math.min(minY, y!)
    maxY = Math.max(maxY, y!)
  }
  const W = 1000
  const pad = 40
  const scale = (W - 2 * pad) / Math.max(maxX - minX, 1)
  const H = Math.max(200, Math.min(800, Math.round((maxY - minY) * scale + 2 * pad + 40)))
  const s = Math.min(scale, (H - 2 * pad - 40) / Math.max(maxY - minY, 1))
  // Centred: the drawing is narrower than the box when the area is tall.
  const offX = (W - 2 * pad - (maxX - minX) * s) / 2
  const X = (x: number) => (pad + offX + (x - minX) * s).toFixed(1)
  const Y = (y: number) => (pad + (maxY - y) * s).toFixed(1)
  // Path data made of numbers only: safe as it is.
  const path = (ring: [number, number][]) =>
    raw('M' + ring.map(([x, y]) => `${X(x)},${Y(y)}`).join('L') + 'Z')
  const maxN = Math.max(1, ...cells.map((c) => c.inhabitants))
  // Names, most inhabitants first, each where it overlaps none placed before (moved up or down
  // a line if need be); a name that finds no room is left out rather than drawn over another.
  const FONT = 16
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = []
  const labels = named.flatMap(({ name, at: [x, y] }) => {
    const w = name.length * FONT * 0.62 + 6
    for (const dy of [0, -FONT * 1.2, FONT * 1.2, -FONT * 2.4, FONT * 2.4]) {
      const cx = Number(X(x))
      const cy = Number(Y(y)) + dy
      const box = { x0: cx - w / 2, y0: cy - FONT * 0.6, x1: cx + w / 2, y1: cy + FONT * 0.6 }
      if (box.x0 < 2 || box.x1 > W - 2 || box.y0 < 2 || box.y1 > H - 40) continue
      if (placed.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1))
        continue
      placed.push(box)
      return [
        h`<text x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" text-anchor="middle" dominant-baseline="middle" font-size="${FONT}" font-weight="600" fill="#1f2937" stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${name}</text>`,
      ]
    }
    return []
  })
  // The scale bar: at most a fifth of the map's width.
  const barM = niceLength(W / 5 / s)
  const barPx = barM * s
  const bx = pad + 6
  const by = H - 16
  const scaleBar = h`<g class="scale" aria-label="${t(T.scaleTitle, lang)}: ${km(barM, lang)}"><rect x="${bx - 4}" y="${by - 22}" width="${(barPx + 70).toFixed(1)}" height="32" fill="#fff" fill-opacity="0.85"/><path d="M${bx},${by - 8}v8h${barPx.toFixed(1)}v-8" fill="none" stroke="#111827" stroke-width="2.5"/><text x="${(bx + barPx + 8).toFixed(1)}" y="${by}" font-size="17" fill="#111827">${km(barM, lang)}</text></g>`
  return h`<svg class="map" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${o.titleId}" xmlns="http://www.w3.org/2000/svg">${cells.map(
    (c) =>
      h`<path d="${path(c.xy)}" fill="${c.gained ? '#7c3aed' : c.gap ? '#c2410c' : '#99d5c9'}" fill-opacity="${(c.gained ? 0.75 : c.gap ? 0.35 + 0.6 * Math.sqrt(c.inhabitants / maxN) : 0.55).toFixed(2)}" stroke="none"/>`,
  )}${inner.map(
    (ring) => h`<path d="${path(ring)}" fill="none" stroke="#6b7280" stroke-width="0.9"/>`,
  )}${rings.map(
    (ring) => h`<path d="${path(ring)}" fill="none" stroke="#1f2937" stroke-width="1.8"/>`,
  )}${places.map(
    ([x, y]) =>
      h`<circle cx="${X(x)}" cy="${Y(y)}" r="5" fill="#1d4ed8" stroke="#fff" stroke-width="1.5"/>`,
  )}${proposed.map(([x, y]) => {
    const cx = Number(X(x))
    const cy = Number(Y(y))
    return h`<path d="M${cx},${cy - 10}L${cx + 10},${cy}L${cx},${cy + 10}L${cx - 10},${cy}Z" fill="#7c3aed" stroke="#fff" stroke-width="2"/>`
  })}${labels}${scaleBar}</svg>`
}

const t = (message: Bilingual, lang: 'nl' | 'en') => message[lang]

/**
 * The part of the map around a scenario, in RD New metres (minX, minY, maxX, maxY): the
 * proposed places and the cells they bring within reach, with a margin, at least 3 km tall.
 */
function scenarioFocus(r: Report): [number, number, number, number] | undefined {
  const pts = [
    ...r.map.proposed.map((p) => lonLatToRd(p.lon, p.lat)),
    ...r.map.cells
      .filter((c) => c.gained)
      .flatMap((c) => c.ring.map(([lon, lat]) => lonLatToRd(lon, lat))),
  ]
  if (pts.length === 0) return undefined
  const xs = pts.map(([x]) => x)
  const ys = pts.map(([, y]) => y)
  const margin = 600
  const half = (lo: number, hi: number) => Math.max((hi - lo) / 2 + margin, 1500)
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2
  // Wide rather than tall, to sit across the page under the scenario's figures.
  const hy = half(Math.min(...ys), Math.max(...ys))
  const hx = Math.max(half(Math.min(...xs), Math.max(...xs)), hy * 2.4)
  return [cx - hx, cy - hy, cx + hx, cy + hy]
}

/** Horizontal bars per distance band: the area, and the province beside it. */
function bandsSvg(r: Report): Html | '' {
  const f = r.figures[r.primary]
  if (!f) return ''
  const rows = f.area.bands.map((b, i) => ({
    label: T.band(b.fromM, b.toM)[r.lang],
    area: f.area.inhabitants ? b.inhabitants / f.area.inhabitants : 0,
    province: f.province.inhabitants
      ? (f.province.bands[i]?.inhabitants ?? 0) / f.province.inhabitants
      : 0,
    beyond: b.fromM >= r.thresholds[r.primary],
  }))
  const rowH = 34
  const H = rows.length * rowH + 10
  const x0 = 190
  const w = 640
  const described = rows.map((row) => `${row.label}: ${pct(row.area, r.lang)}`).join('; ')
  return h`<svg class="bands" viewBox="0 0 1000 ${H}" role="img" aria-label="${described}" xmlns="http://www.w3.org/2000/svg">${rows.map(
    (row, i) => {
      const y = 5 + i * rowH
      return h`<text x="${x0 - 10}" y="${y + 17}" text-anchor="end" font-size="16">${row.label}</text><rect x="${x0}" y="${y + 2}" width="${(row.area * w).toFixed(1)}" height="16" fill="${row.beyond ? '#c2410c' : '#0f766e'}"/><rect x="${x0}" y="${y + 20}" width="${(row.province * w).toFixed(1)}" height="7" fill="#9ca3af"/><text x="${x0 + row.area * w + 8}" y="${y + 16}" font-size="15">${pct(row.area, r.lang)}</text>`
    },
  )}</svg>`
}

export function reportHtml(
  r: Report,
  opts: { cssHref?: string; css?: string; scriptSrc?: string },
): string {
  const lang = r.lang
  const t = (message: Bilingual) => message[lang]
  const primary = r.figures[r.primary]!
  const threshold = r.thresholds[r.primary]
  const walk = r.figures.walk
  const base = `/reports/${encodeURIComponent(r.area.code)}`
  const query = r.permalink.split('?')[1] ?? ''
  const other = lang === 'nl' ? 'en' : 'nl'
  const row = (label: Bilingual, a: string, p: string) =>
    h`<tr><th scope="row">${t(label)}</th><td>${a}</td><td>${p}</td></tr>`
  const modeRows = r.modes.map((m) => {
    const f = r.figures[m]!
    return row(T.within(r.thresholds[m], m), pct(f.area.share, lang), pct(f.province.share, lang))
  })
  const pop = primary.area.inputs.population
  const meanRows = (['1km', '3km', '5km'] as const).map((k, i) =>
    row(
      T.meanWithin([1, 3, 5][i]!, r.primary),
      fmt(primary.area.meanPlacesWithin[k] ?? 0, lang, 1),
      fmt(primary.province.meanPlacesWithin[k] ?? 0, lang, 1),
    ),
  )
  const gaps = primary.area.gapAreas
  const range = (d: { min: number; max: number } | null) =>
    d === null
      ? t(T.noPlace)
      : d.max - d.min < 100
        ? km(Math.round(d.max / 10) * 10, lang)
        : `${km(Math.round(d.min / 10) * 10, lang)} – ${km(Math.round(d.max / 10) * 10, lang)}`
  const gapRows = gaps.map(
    (g) =>
      h`<tr><td>${g.rank}</td><td>${g.label[lang]}${g.sparse ? h` <span class="sparse">(${t(T.sparse)})</span>` : ''}</td><td class="num">${fmt(g.inhabitants, lang)}</td><td class="num">${range(g.distanceM)}</td></tr>`,
  )
  const register = primary.area.inputs.register
  const registerHtml =
    register && !register.complete && register.message && register.advice
      ? h`<section class="notice"><h2>${t(T.registerTitle)}</h2><p>${register.message[lang]} ${register.advice[lang]}</p></section>`
      : ''
  const changedHtml = r.dataChanged
    ? h`<section class="notice"><h2>${t(T.changedTitle)}</h2><p>${r.dataChanged.message[lang]}</p></section>`
    : ''
  const placesIn = primary.area.inputs.places.inArea
  const units =
    (['gemeente', 'wijk', 'buurt', 'pc4'] as const).find((u) => u === pop.units) ?? 'wijk'
  const origin = r.permalink.slice(0, r.permalink.indexOf('/api/v1/reports/'))
  const detour = walk?.area.network?.meanDetourFactor ?? null
  const water =
    r.primary === 'line'
      ? t(T.noNetwork)
      : detour === null
        ? ''
        : detour >= 1.3
          ? t(T.water(detour, walk?.area.network?.detourInhabitants ?? 0))
          : t(T.waterSmall(detour))
  const network = 'network' in primary.area.inputs ? primary.area.inputs.network : undefined
  const sc = r.scenario
  const scenarioHtml = sc
    ? h`<section class="scenario"><h2>${t(T.scenarioTitle(sc.scenario.name))}</h2>
<p class="big">${t(T.scenarioLine(sc.difference.inhabitantsWithin, sc.scenario.thresholdM, sc.scenario.mode, sc.scenario.add.length))}</p>
<p>${t(T.scenarioShare(sc.today.share, sc.withScenario.share))}</p>
${(() => {
  const focus = scenarioFocus(r)
  return focus
    ? h`<h3 id="scenario-map-title">${t(T.scenarioMapTitle)}</h3>${mapSvg(r, { titleId: 'scenario-map-title', focus })}`
    : ''
})()}
<ul>${r.map.proposed.map((p) => h`<li><strong>${p.name ?? KINDS.find((k) => k.code === p.kind)?.label[lang] ?? p.kind}</strong>: ${t(T.placeWhere(p.where))}</li>`)}</ul></section>`
    : ''
  // The stylesheet is ours (read from disk by the caller), not user input.
  const head = opts.css
    ? h`<style>${raw(opts.css)}</style>`
    : h`<link rel="stylesheet" href="${opts.cssHref ?? '/reports/report.css'}">`
  const sources = pop.sources.map((s) => `${s.source}${s.year ? ` (${s.year})` : ''}`).join('; ')
  const ancillary = pop.ancillary
    .map((a) => `; ${a.source}${a.year ? ` (${a.year})` : ''}`)
    .join('')
  const belowLevel = { province: 'gemeente', gemeente: 'wijk', wijk: 'buurt' } as const
  const areasLevel =
    r.map.areas.length > 0 && r.area.level in belowLevel
      ? belowLevel[r.area.level as keyof typeof belowLevel]
      : null
  const gainedLegend =
    r.map.gainedThresholdM !== null && r.map.gainedMode !== null
      ? h`<li><span class="sw gained"></span>${t(T.legendGained(r.map.gainedThresholdM, r.map.gainedMode))}</li>`
      : ''
  const page = h`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(T.title(r.area.name))}</title>
${head}
</head>
<body>
<nav class="toolbar no-print" aria-label="${t(T.toolbar)}">
<a href="/?area=${encodeURIComponent(r.area.code)}&amp;lang=${lang}">← ${t(T.back)}</a>
<button type="button" id="print-report">${t(T.print)}</button>
<span>${t(T.downloads)} <a href="${base}.json?${query}">JSON</a> · <a href="${base}.csv?${query}">CSV</a> · <a href="${base}.gaps.geojson?${query}">GeoJSON</a></span>
<a href="${base}?${query.replace(/lang=(nl|en)/, `lang=${other}`)}" hreflang="${other}" lang="${other}">${other === 'en' ? 'English' : 'Nederlands'}</a>
</nav>
<main>
<div class="overview">
<header class="head">
<div>
<p class="kicker">${t(T.generated)} · ${date(r.generatedAt, lang)}</p>
<h1>${t(T.title(r.area.name))}</h1>
<p class="lead">${t(T.lead(threshold, r.primary))}</p>
<p class="key" data-figure="share">${t(T.keyLine(primary.area.share, threshold, r.primary, primary.province.share))}</p>
</div>
<figure class="qr-figure">${qrSvg(r.permalink, t(T.qrCaption))}<figcaption>${t(T.qrCaption)}</figcaption></figure>
</header>
${changedHtml}
${registerHtml}
<section class="map-section"><h2 id="map-title">${t(T.mapTitle)}</h2>
${mapSvg(r)}
<ul class="legend"><li><span class="sw gap"></span>${t(T.legendGap(threshold, r.primary))}</li><li><span class="sw ok"></span>${t(T.legendOk(threshold, r.primary))}</li>${gainedLegend}<li><span class="sw place"></span>${t(T.legendPlace)}</li>${r.map.proposed.length ? h`<li><span class="sw proposed"></span>${t(T.legendProposed)}</li>` : ''}${areasLevel ? h`<li><span class="sw line"></span>${t(T.legendAreas(areasLevel))}</li>` : ''}</ul>
</section>
</div>
<div class="details">
<section class="figures-section"><h2>${t(T.keyFigures)}</h2>
<table class="figures"><thead><tr><td></td><th scope="col">${r.area.name}</th><th scope="col">${t(T.colProvince)}</th></tr></thead><tbody>
${row(T.inhabitants, fmt(primary.area.inhabitants, lang), fmt(primary.province.inhabitants, lang))}
${modeRows}
${row(T.places, fmt(primary.area.places, lang), fmt(primary.province.places, lang))}
${row(T.per10k, fmt(primary.area.placesPer10k ?? 0, lang, 1), fmt(primary.province.placesPer10k ?? 0, lang, 1))}
${row(T.meanDistance(r.primary), primary.area.meanDistanceM === null ? '–' : km(Math.round(primary.area.meanDistanceM / 10) * 10, lang), primary.province.meanDistanceM === null ? '–' : km(Math.round(primary.province.meanDistanceM / 10) * 10, lang))}
${meanRows}
${row(T.unreachable, fmt(primary.area.unreachableInhabitants, lang), fmt(primary.province.unreachableInhabitants, lang))}
</tbody></table></section>
${scenarioHtml}
<section class="bands-section"><h2>${t(T.bandsTitle(r.primary))}</h2>${bandsSvg(r)}<p class="legend">${t(T.bandsLegend(r.area.name))}</p></section>
<section class="gaps"><h2>${t(T.gapsTitle)}</h2><p>${t(T.gapsLead(threshold, r.primary, primary.area.gapAreaCount))}</p>
${gaps.length ? h`<table><thead><tr><th scope="col">${t(T.colRank)}</th><th scope="col">${t(T.colArea)}</th><th scope="col" class="num">${t(T.colInhabitants)}</th><th scope="col" class="num">${t(T.colDistance)}</th></tr></thead><tbody>${gapRows}</tbody></table>` : h`<p>${t(T.noGaps)}</p>`}
</section>
${water ? h`<section><h2>${t(T.waterTitle)}</h2><p>${water}</p></section>` : ''}
<section class="methods"><h2>${t(T.methodsTitle)}</h2><dl>
<dt>${t(T.mSources)}</dt><dd>${t(T.mCbs)} ${sources}${ancillary}. ${t(T.mRegister)}${network ? h` ${t(T.mNetwork(network.source.file ?? '', network.source.newestObject ?? null))}` : ''}</dd>
<dt>${t(T.mThreshold)}</dt><dd>${r.modes.map((m) => `${t(T.mode[m])}: ${km(r.thresholds[m], lang)}`).join('; ')}</dd>
<dt>${t(T.mMode)}</dt><dd>${r.modes.map((m, i) => h`${i > 0 ? h`<br>` : ''}${t(T.modeLong[m])}: ${t(T.distanceMethod[m])}`)}</dd>
<dt>${t(T.mPlaces)}</dt><dd>${t(T.mPlacesText(placesIn?.counted ?? primary.area.inputs.places.counted, placesIn?.bySource ?? {}, placesIn?.checkedLastYear ?? 0, placesIn?.leftOutApproximate ?? 0))}</dd>
<dt>${t(T.mResolution)}</dt><dd>${t(
    T.mResolutionText(
      r.resolution,
      units,
      String(pop.year ?? pop.years.join(', ')),
      pop.ancillary.some((a) => a.name === 'pc4'),
    ),
  )}</dd>
<dt>${t(T.mDate)}</dt><dd>${date(r.generatedAt, lang)} (${r.generatedAt}); ${t(T.dataVersion)} ${primary.area.inputs.dataVersion.fingerprint}</dd>
<dt>${t(T.mPermalink)}</dt><dd><a href="${r.permalink}">${r.permalink}</a><br>${t(T.mPermalinkData)} <a href="${origin + primary.area.inputs.permalink}">${origin + primary.area.inputs.permalink}</a></dd>
</dl></section>
</div>
</main>
<footer class="no-print report-footer"><a href="${lang === 'en' ? '/accessibility' : '/toegankelijkheid'}">${t(T.accessibility)}</a></footer>
${opts.scriptSrc ? h`<script src="${opts.scriptSrc}"></script>` : ''}
</body>
</html>`
  return page.toString()
}
