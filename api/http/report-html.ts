import { lonLatToRd } from '../domain/geo.js'
import { KINDS } from '../domain/kinds.js'
import type { Mode } from '../domain/reach.js'
import type { Report } from '../services/report.js'

/** The gap report as one printable HTML page (A4), with the map and charts as inline SVG. */

const T = {
  nl: {
    title: (a: string) => `Ontmoetingsplekken in ${a}`,
    lead: (m: string, t: string) =>
      `Hoeveel inwoners wonen binnen ${t} ${m} van een ontmoetingsplek?`,
    keyLine: (share: string, t: string, m: string, prov: string) =>
      `${share} van de inwoners woont binnen ${t} ${m} van een ontmoetingsplek (provincie: ${prov}).`,
    mode: { walk: 'lopen', bike: 'fietsen', line: 'hemelsbreed' } as Record<Mode, string>,
    modeLong: {
      walk: 'lopend over paden en wegen',
      bike: 'met de fiets over fietspaden en wegen',
      line: 'hemelsbreed (in een rechte lijn)',
    } as Record<Mode, string>,
    print: 'Afdrukken of opslaan als PDF',
    back: 'Terug naar de kaart',
    downloads: 'Download de cijfers:',
    mapTitle: 'Kaart: waar wonen mensen te ver weg?',
    legendGap: (t: string, m: string) => `Verder dan ${t} ${m} (donkerder: meer inwoners)`,
    legendOk: (t: string, m: string) => `Binnen ${t} ${m}`,
    legendPlace: 'Ontmoetingsplek',
    legendProposed: 'Voorgestelde plek (scenario)',
    keyFigures: 'Kerncijfers',
    colArea: (a: string) => a,
    colProvince: 'Provincie',
    inhabitants: 'Inwoners',
    within: (t: string, m: string) => `Woont binnen ${t} ${m}`,
    places: 'Ontmoetingsplekken',
    per10k: 'Plekken per 10.000 inwoners',
    meanDistance: (m: string) =>
      `Gemiddelde afstand tot de dichtstbijzijnde plek (${m}, zoals CBS)`,
    meanWithin: (km: number, m: string) => `Gemiddeld aantal plekken binnen ${km} km (${m})`,
    unreachable: 'Inwoners zonder bereikbare plek',
    bandsTitle: (m: string) => `Hoe ver wonen mensen van een ontmoetingsplek? (${m})`,
    bandsLegend: (a: string) =>
      `Brede balk: ${a}; smalle grijze balk: de provincie. Oranje: verder dan de grens.`,
    band: (from: number, to: number | null) =>
      to === null ? `meer dan ${km(from)}` : `${km(from)} – ${km(to)}`,
    gapsTitle: 'Waar is het gat het grootst?',
    gapsLead: (t: string, m: string, n: number) =>
      `Gebieden waar inwoners verder dan ${t} ${m} van een ontmoetingsplek wonen (aangrenzende zeshoeken samengenomen), de grootste eerst: inwoners × afstand boven de grens. ${n === 1 ? 'Er is 1 zo’n gebied.' : `Er zijn ${fmt(n)} zulke gebieden; hier de grootste.`}`,
    colRank: '#',
    colWijk: 'Gebied',
    colBuurt: 'Buurt',
    colInhabitants: 'Inwoners',
    colDistance: 'Afstand',
    sparse: 'dunbevolkt buitengebied',
    registerTitle: 'Let op: het register is nog niet compleet',
    changedTitle: 'De gegevens zijn veranderd',
    noPlace: 'geen plek bereikbaar',
    noGaps: 'Iedereen woont binnen de grens. Er is hier geen gat.',
    waterTitle: 'Water en omwegen',
    water: (f: string, n: string) =>
      `Door water, spoor en ontbrekende paden is de looproute naar de dichtstbijzijnde plek gemiddeld ${f} zo lang als hemelsbreed (over ${n} inwoners). Een kaart in rechte lijnen onderschat hier de afstand.`,
    waterSmall: (f: string) =>
      `De looproute is gemiddeld ${f} zo lang als hemelsbreed: water maakt hier weinig verschil.`,
    noNetwork:
      'Er is nog geen wegennet geladen: afstanden zijn hemelsbreed. Over water en sloten kan de echte route veel langer zijn.',
    scenarioTitle: (name: string) => `Wat als: ${name}`,
    scenarioLine: (n: string, t: string, m: string, places: number) =>
      `Met ${places === 1 ? 'de voorgestelde plek' : `de ${places} voorgestelde plekken`}: ${n} inwoners erbij binnen ${t} ${m}.`,
    scenarioShare: (a: string, b: string) => `Van ${a} naar ${b} van de inwoners.`,
    methodsTitle: 'Hoe is dit berekend?',
    mSources: 'Bronnen',
    mThreshold: 'Grens',
    mMode: 'Afstand',
    mPlaces: 'Welke plekken tellen',
    mPlacesText: (n: number, bySource: string, checked: number, left: number) =>
      `${fmt(n)} ontmoetingsplekken in dit gebied die open zijn (status actief), van alle soorten die standaard een ontmoetingsplek zijn en met een bekend adres${bySource ? ` (${bySource})` : ''}; ${fmt(checked)} daarvan zijn het afgelopen jaar ter plekke gecontroleerd.${left > 0 ? ` ${fmt(left)} plek${left === 1 ? ' telt' : 'ken tellen'} niet mee: daarvan is alleen de plaats of wijk bekend.` : ''}`,
    sourceNames: {
      osm: 'uit OpenStreetMap',
      import: 'uit een bestand',
      user: 'met de hand',
      seed: 'uit het onderzoek',
      cbs: 'van CBS',
    } as Record<string, string>,
    mResolution: 'Inwoners en zeshoeken',
    mResolutionText: (r: number, units: string, year: string, pc4: boolean) =>
      `Elke ${units} houdt het eigen CBS-aantal inwoners van ${year}; een gemeente en een wijk tellen dus precies zoals CBS. Binnen de ${units} zijn de inwoners verdeeld over de H3-zeshoeken (resolutie ${r}) waar gewoond kan worden${pc4 ? ', naar de dichtheid van de postcodegebieden (PC4, inwoners per km² land)' : ', naar oppervlakte'}; dijken, dammen en smalle stroken (minder dan 100 m breed) en ver afgelegen losse stukjes tellen niet als woongebied. Er wordt niets afgerond: een zeshoek kan een deel van een inwoner bevatten.`,
    mDate: 'Berekend op',
    mPermalink: 'Deze cijfers opnieuw maken',
    mNetwork: (file: string, date: string) =>
      `Wegennet: OpenStreetMap (${file}, gegevens tot ${date}), ODbL 1.0 © OpenStreetMap-bijdragers.`,
    mCbs: 'Inwoners: CBS Wijk- en Buurtkaart (CC BY 4.0), per gebied:',
    mRegister: 'Plekken: het Buurtkaart-register (bijdragers, OpenStreetMap en eigen invoer).',
    generated: 'Gemaakt met Buurtkaart',
  },
  en: {
    title: (a: string) => `Meeting places in ${a}`,
    lead: (m: string, t: string) =>
      `How many inhabitants live within ${t} ${m} of a meeting place?`,
    keyLine: (share: string, t: string, m: string, prov: string) =>
      `${share} of the inhabitants live within ${t} ${m} of a meeting place (province: ${prov}).`,
    mode: { walk: 'walking', bike: 'cycling', line: 'straight-line' } as Record<Mode, string>,
    modeLong: {
      walk: 'walking over paths and roads',
      bike: 'cycling over cycleways and roads',
      line: 'in a straight line',
    } as Record<Mode, string>,
    print: 'Print or save as PDF',
    back: 'Back to the map',
    downloads: 'Download the figures:',
    mapTitle: 'Map: where do people live too far away?',
    legendGap: (t: string, m: string) => `Farther than ${t} ${m} (darker: more inhabitants)`,
    legendOk: (t: string, m: string) => `Within ${t} ${m}`,
    legendPlace: 'Meeting place',
    legendProposed: 'Proposed place (scenario)',
    keyFigures: 'Key figures',
    colArea: (a: string) => a,
    colProvince: 'Province',
    inhabitants: 'Inhabitants',
    within: (t: string, m: string) => `Live within ${t} ${m}`,
    places: 'Meeting places',
    per10k: 'Places per 10,000 inhabitants',
    meanDistance: (m: string) => `Mean distance to the nearest place (${m}, as CBS)`,
    meanWithin: (km: number, m: string) => `Mean number of places within ${km} km (${m})`,
    unreachable: 'Inhabitants with no reachable place',
    bandsTitle: (m: string) => `How far from a meeting place do people live? (${m})`,
    bandsLegend: (a: string) =>
      `Wide bar: ${a}; narrow grey bar: the province. Orange: beyond the threshold.`,
    band: (from: number, to: number | null) =>
      to === null ? `more than ${km(from, 'en')}` : `${km(from, 'en')} – ${km(to, 'en')}`,
    gapsTitle: 'Where is the gap largest?',
    gapsLead: (t: string, m: string, n: number) =>
      `Areas where inhabitants live farther than ${t} ${m} from a meeting place (neighbouring hexagons taken together), largest first: inhabitants × distance beyond the threshold. ${n === 1 ? 'There is 1 such area.' : `There are ${fmt(n, 'en')} such areas; the largest are listed.`}`,
    colRank: '#',
    colWijk: 'Area',
    colBuurt: 'Neighbourhood',
    colInhabitants: 'Inhabitants',
    colDistance: 'Distance',
    sparse: 'sparsely populated countryside',
    registerTitle: 'Note: the register is not complete yet',
    changedTitle: 'The data has changed',
    noPlace: 'no place reachable',
    noGaps: 'Everyone lives within the threshold. There is no gap here.',
    waterTitle: 'Water and detours',
    water: (f: string, n: string) =>
      `Because of water, railways and missing paths the walking route to the nearest place is on average ${f} the straight line (over ${n} inhabitants). A straight-line map underestimates distance here.`,
    waterSmall: (f: string) =>
      `The walking route is on average ${f} the straight line: water makes little difference here.`,
    noNetwork:
      'No road network has been loaded yet: distances are straight lines. Across water the real route can be much longer.',
    scenarioTitle: (name: string) => `What if: ${name}`,
    scenarioLine: (n: string, t: string, m: string, places: number) =>
      `With ${places === 1 ? 'the proposed place' : `the ${places} proposed places`}: ${n} more inhabitants within ${t} ${m}.`,
    scenarioShare: (a: string, b: string) => `From ${a} to ${b} of the inhabitants.`,
    methodsTitle: 'How was this computed?',
    mSources: 'Sources',
    mThreshold: 'Threshold',
    mMode: 'Distance',
    mPlaces: 'Which places count',
    mPlacesText: (n: number, bySource: string, checked: number, left: number) =>
      `${fmt(n, 'en')} meeting places in this area that are open (status active), of every kind that is a meeting place by default and with a known address${bySource ? ` (${bySource})` : ''}; ${fmt(checked, 'en')} of them were checked on site in the past year.${left > 0 ? ` ${fmt(left, 'en')} place${left === 1 ? ' does' : 's do'} not count: only their town or district is known.` : ''}`,
    sourceNames: {
      osm: 'from OpenStreetMap',
      import: 'from a file',
      user: 'by hand',
      seed: 'from the research',
      cbs: 'from CBS',
    } as Record<string, string>,
    mResolution: 'Inhabitants and hexagons',
    mResolutionText: (r: number, units: string, year: string, pc4: boolean) =>
      `Every ${units} keeps its own CBS count of inhabitants of ${year}, so a gemeente and a wijk count exactly as CBS does. Within each ${units} the inhabitants are placed on the H3 hexagons (resolution ${r}) of land people can live on${pc4 ? ', by the density of the postcode areas (PC4, inhabitants per km² of land)' : ', by area'}; dikes, dams, strips under 100 m wide and far-off detached bits do not count as living area. Nothing is rounded: a hexagon may hold part of an inhabitant.`,
    mDate: 'Computed on',
    mPermalink: 'Reproduce these figures',
    mNetwork: (file: string, date: string) =>
      `Road network: OpenStreetMap (${file}, data up to ${date}), ODbL 1.0 © OpenStreetMap contributors.`,
    mCbs: 'Inhabitants: CBS Wijk- en Buurtkaart (CC BY 4.0), per area:',
    mRegister: 'Places: the Buurtkaart register (contributors, OpenStreetMap and own input).',
    generated: 'Made with Buurtkaart',
  },
}

function fmt(n: number, lang: 'nl' | 'en' = 'nl', digits = 0): string {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n)
}

function km(m: number, lang: 'nl' | 'en' = 'nl'): string {
  return m >= 1000 ? `${fmt(m / 1000, lang, m % 1000 === 0 ? 0 : 1)} km` : `${fmt(m, lang)} m`
}

const pct = (share: number | null, lang: 'nl' | 'en') =>
  share === null ? '–' : `${fmt(share * 100, lang, 1)}%`

/** Escapes text for HTML content and attribute values. */
export function esc(text: unknown): string {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

const date = (iso: string, lang: 'nl' | 'en') =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso))

/** The area map: cells coloured by gap, outlines, places and proposed places, in RD New. */
function mapSvg(r: Report): string {
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
  const rings: [number, number][][] = []
  const collect = (g: unknown) => {
    const geom = g as { type: string; coordinates: unknown }
    const polys =
      geom.type === 'MultiPolygon'
        ? (geom.coordinates as number[][][][])
        : geom.type === 'Polygon'
          ? [geom.coordinates as number[][][]]
          : []
    for (const poly of polys)
      for (const ring of poly) rings.push(ring.map(([lon, lat]) => project(lon!, lat!)))
  }
  r.map.outlines.forEach(collect)
  const places = r.map.places.map((p) => project(p.lon, p.lat))
  const proposed = r.map.proposed.map((p) => project(p.lon, p.lat))
  if (pts.length === 0) return ''
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of pts) {
    minX = Math.min(minX, x)
    maxX = Math.max(maxX, x)
    minY = Math.min(minY, y)
    maxY = Math.max(maxY, y)
  }
  const W = 1000
  const pad = 10
  const scale = (W - 2 * pad) / Math.max(maxX - minX, 1)
  const H = Math.max(200, Math.min(1100, Math.round((maxY - minY) * scale + 2 * pad)))
  const s = Math.min(scale, (H - 2 * pad) / Math.max(maxY - minY, 1))
  const X = (x: number) => (pad + (x - minX) * s).toFixed(1)
  const Y = (y: number) => (pad + (maxY - y) * s).toFixed(1)
  const path = (ring: [number, number][]) =>
    'M' + ring.map(([x, y]) => `${X(x)},${Y(y)}`).join('L') + 'Z'
  const maxN = Math.max(1, ...cells.map((c) => c.inhabitants))
  const out: string[] = [
    `<svg class="map" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">`,
  ]
  for (const c of cells) {
    const opacity = c.gap ? 0.35 + 0.6 * Math.sqrt(c.inhabitants / maxN) : 0.55
    out.push(
      `<path d="${path(c.xy)}" fill="${c.gap ? '#c2410c' : '#99d5c9'}" fill-opacity="${opacity.toFixed(2)}" stroke="none"/>`,
    )
  }
  for (const ring of rings)
    out.push(`<path d="${path(ring)}" fill="none" stroke="#1f2937" stroke-width="1.6"/>`)
  for (const [x, y] of places) {
    out.push(
      `<circle cx="${X(x)}" cy="${Y(y)}" r="5" fill="#1d4ed8" stroke="#fff" stroke-width="1.5"/>`,
    )
  }
  for (const [x, y] of proposed) {
    const cx = Number(X(x))
    const cy = Number(Y(y))
    out.push(
      `<path d="M${cx},${cy - 9}L${cx + 9},${cy}L${cx},${cy + 9}L${cx - 9},${cy}Z" fill="#7c3aed" stroke="#fff" stroke-width="1.5"/>`,
    )
  }
  out.push('</svg>')
  return out.join('')
}

/** Horizontal bars per distance band: the area, and the province beside it. */
function bandsSvg(r: Report, t: (typeof T)['nl']): string {
  const f = r.figures[r.primary]
  if (!f) return ''
  const rows = f.area.bands.map((b, i) => ({
    label: t.band(b.fromM, b.toM),
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
  const out = [
    `<svg class="bands" viewBox="0 0 1000 ${H}" role="img" xmlns="http://www.w3.org/2000/svg">`,
  ]
  rows.forEach((row, i) => {
    const y = 5 + i * rowH
    out.push(
      `<text x="${x0 - 10}" y="${y + 17}" text-anchor="end" font-size="16">${esc(row.label)}</text>`,
    )
    out.push(
      `<rect x="${x0}" y="${y + 2}" width="${(row.area * w).toFixed(1)}" height="16" fill="${row.beyond ? '#c2410c' : '#0f766e'}"/>`,
    )
    out.push(
      `<rect x="${x0}" y="${y + 20}" width="${(row.province * w).toFixed(1)}" height="7" fill="#9ca3af"/>`,
    )
    out.push(
      `<text x="${x0 + row.area * w + 8}" y="${y + 16}" font-size="15">${esc(pct(row.area, r.lang))}</text>`,
    )
  })
  out.push('</svg>')
  return out.join('')
}

export function reportHtml(
  r: Report,
  opts: { cssHref?: string; css?: string; scriptSrc?: string },
): string {
  const lang = r.lang
  const t = T[lang]
  const primary = r.figures[r.primary]!
  const tp = km(r.thresholds[r.primary], lang)
  const mp = t.mode[r.primary]
  const walk = r.figures.walk
  const base = `/reports/${encodeURIComponent(r.area.code)}`
  const query = r.permalink.split('?')[1] ?? ''
  const other = lang === 'nl' ? 'en' : 'nl'
  const row = (label: string, a: string, p: string) =>
    `<tr><th scope="row">${esc(label)}</th><td>${esc(a)}</td><td>${esc(p)}</td></tr>`
  const modeRows = r.modes
    .map((m) => {
      const f = r.figures[m]!
      return row(
        t.within(km(r.thresholds[m], lang), t.mode[m]),
        pct(f.area.share, lang),
        pct(f.province.share, lang),
      )
    })
    .join('')
  const pop = primary.area.inputs.population
  const meanRows = (['1km', '3km', '5km'] as const)
    .map((k, i) =>
      row(
        t.meanWithin([1, 3, 5][i]!, t.mode[r.primary]),
        fmt(primary.area.meanPlacesWithin[k] ?? 0, lang, 1),
        fmt(primary.province.meanPlacesWithin[k] ?? 0, lang, 1),
      ),
    )
    .join('')
  const gaps = primary.area.gapAreas
  const range = (d: { min: number; max: number } | null) =>
    d === null
      ? t.noPlace
      : d.max - d.min < 100
        ? km(Math.round(d.max / 10) * 10, lang)
        : `${km(Math.round(d.min / 10) * 10, lang)} – ${km(Math.round(d.max / 10) * 10, lang)}`
  const gapRows = gaps
    .map(
      (g) =>
        `<tr><td>${g.rank}</td><td>${esc(g.label[lang])}${g.sparse ? ` <span class="sparse">(${esc(t.sparse)})</span>` : ''}</td><td class="num">${fmt(g.inhabitants, lang)}</td><td class="num">${esc(range(g.distanceM))}</td></tr>`,
    )
    .join('')
  const register = primary.area.inputs.register
  const registerHtml =
    register && !register.complete && register.message && register.advice
      ? `<section class="notice"><h2>${esc(t.registerTitle)}</h2><p>${esc(register.message[lang])}</p><p>${esc(register.advice[lang])}</p></section>`
      : ''
  const changedHtml = r.dataChanged
    ? `<section class="notice"><h2>${esc(t.changedTitle)}</h2><p>${esc(r.dataChanged.message[lang])}</p></section>`
    : ''
  const placesIn = primary.area.inputs.places.inArea
  const bySource = placesIn
    ? Object.entries(placesIn.bySource)
        .map(([source, n]) => `${fmt(n, lang)} ${t.sourceNames[source] ?? source}`)
        .join(', ')
    : ''
  const unitsName = { gemeente: 'gemeente', wijk: 'wijk', buurt: 'buurt', pc4: 'PC4' }[pop.units]
  const origin = r.permalink.slice(0, r.permalink.indexOf('/reports/'))
  const detour = walk?.area.network?.meanDetourFactor ?? null
  const water =
    r.primary === 'line'
      ? t.noNetwork
      : detour === null
        ? ''
        : detour >= 1.3
          ? t.water(
              `${fmt(detour, lang, 1)}×`,
              fmt(walk?.area.network?.detourInhabitants ?? 0, lang),
            )
          : t.waterSmall(`${fmt(detour, lang, 1)}×`)
  const network = 'network' in primary.area.inputs ? primary.area.inputs.network : undefined
  const sc = r.scenario
  const scenarioHtml = sc
    ? `<section class="scenario"><h2>${esc(t.scenarioTitle(sc.scenario.name))}</h2>
<p class="big">${esc(t.scenarioLine(fmt(sc.difference.inhabitantsWithin, lang), km(sc.scenario.thresholdM, lang), t.mode[sc.scenario.mode], sc.scenario.add.length))}</p>
<p>${esc(t.scenarioShare(pct(sc.today.share, lang), pct(sc.withScenario.share, lang)))}</p>
<ul>${sc.scenario.add.map((p) => `<li>${esc(p.name ?? KINDS.find((k) => k.code === p.kind)?.label[lang] ?? p.kind)} (${fmt(p.lat, lang, 5)}, ${fmt(p.lon, lang, 5)})</li>`).join('')}</ul></section>`
    : ''
  const head = opts.css
    ? `<style>${opts.css}</style>`
    : `<link rel="stylesheet" href="${esc(opts.cssHref ?? '/reports/report.css')}">`
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title(r.area.name))}</title>
${head}
</head>
<body>
<nav class="toolbar no-print">
<a href="/?area=${encodeURIComponent(r.area.code)}&amp;lang=${lang}">← ${esc(t.back)}</a>
<button type="button" id="print-report">${esc(t.print)}</button>
<span>${esc(t.downloads)} <a href="${base}.json?${esc(query)}">JSON</a> · <a href="${base}.csv?${esc(query)}">CSV</a> · <a href="${base}.gaps.geojson?${esc(query)}">GeoJSON</a></span>
<a href="${base}?${esc(query.replace(/lang=(nl|en)/, `lang=${other}`))}" hreflang="${other}">${other === 'en' ? 'English' : 'Nederlands'}</a>
</nav>
<main>
<header>
<p class="kicker">${esc(t.generated)} · ${esc(date(r.generatedAt, lang))}</p>
<h1>${esc(t.title(r.area.name))}</h1>
<p class="lead">${esc(t.lead(mp, tp))}</p>
<p class="key" data-figure="share">${esc(t.keyLine(pct(primary.area.share, lang), tp, mp, pct(primary.province.share, lang)))}</p>
</header>
${changedHtml}
${registerHtml}
<section class="map-section"><h2 id="map-title">${esc(t.mapTitle)}</h2>
${mapSvg(r)}
<ul class="legend"><li><span class="sw gap"></span>${esc(t.legendGap(tp, mp))}</li><li><span class="sw ok"></span>${esc(t.legendOk(tp, mp))}</li><li><span class="sw place"></span>${esc(t.legendPlace)}</li>${r.map.proposed.length ? `<li><span class="sw proposed"></span>${esc(t.legendProposed)}</li>` : ''}</ul>
</section>
<section><h2>${esc(t.keyFigures)}</h2>
<table class="figures"><thead><tr><th></th><th scope="col">${esc(r.area.name)}</th><th scope="col">${esc(t.colProvince)}</th></tr></thead><tbody>
${row(t.inhabitants, fmt(primary.area.inhabitants, lang), fmt(primary.province.inhabitants, lang))}
${modeRows}
${row(t.places, fmt(primary.area.places, lang), fmt(primary.province.places, lang))}
${row(t.per10k, fmt(primary.area.placesPer10k ?? 0, lang, 1), fmt(primary.province.placesPer10k ?? 0, lang, 1))}
${row(t.meanDistance(t.mode[r.primary]), primary.area.meanDistanceM === null ? '–' : km(Math.round(primary.area.meanDistanceM / 10) * 10, lang), primary.province.meanDistanceM === null ? '–' : km(Math.round(primary.province.meanDistanceM / 10) * 10, lang))}
${meanRows}
${row(t.unreachable, fmt(primary.area.unreachableInhabitants, lang), fmt(primary.province.unreachableInhabitants, lang))}
</tbody></table></section>
<section><h2>${esc(t.bandsTitle(t.mode[r.primary]))}</h2>${bandsSvg(r, t)}<p class="legend">${esc(t.bandsLegend(r.area.name))}</p></section>
${scenarioHtml}
<section class="gaps"><h2>${esc(t.gapsTitle)}</h2><p>${esc(t.gapsLead(tp, mp, primary.area.gapAreaCount))}</p>
${gaps.length ? `<table><thead><tr><th>${t.colRank}</th><th>${esc(t.colWijk)}</th><th class="num">${esc(t.colInhabitants)}</th><th class="num">${esc(t.colDistance)}</th></tr></thead><tbody>${gapRows}</tbody></table>` : `<p>${esc(t.noGaps)}</p>`}
</section>
${water ? `<section><h2>${esc(t.waterTitle)}</h2><p>${esc(water)}</p></section>` : ''}
<section class="methods"><h2>${esc(t.methodsTitle)}</h2><dl>
<dt>${esc(t.mSources)}</dt><dd>${esc(t.mCbs)} ${pop.sources.map((s) => esc(`${s.source}${s.year ? ` (${s.year})` : ''}`)).join('; ')}${pop.ancillary.map((a) => esc(`; ${a.source}${a.year ? ` (${a.year})` : ''}`)).join('')}. ${esc(t.mRegister)}${network ? ` ${esc(t.mNetwork(network.source.file ?? '', network.source.newestObject ? date(network.source.newestObject, lang) : '–'))}` : ''}</dd>
<dt>${esc(t.mThreshold)}</dt><dd>${r.modes.map((m) => esc(`${t.mode[m]}: ${km(r.thresholds[m], lang)}`)).join('; ')}</dd>
<dt>${esc(t.mMode)}</dt><dd>${r.modes.map((m) => esc(`${t.modeLong[m]}: ${r.figures[m]!.area.inputs.distance}`)).join('<br>')}</dd>
<dt>${esc(t.mPlaces)}</dt><dd>${esc(t.mPlacesText(placesIn?.counted ?? primary.area.inputs.places.counted, bySource, placesIn?.checkedLastYear ?? 0, placesIn?.leftOutApproximate ?? 0))}</dd>
<dt>${esc(t.mResolution)}</dt><dd>${esc(
    t.mResolutionText(
      r.resolution,
      unitsName,
      String(pop.year ?? pop.years.join(', ')),
      pop.ancillary.some((a) => a.name === 'pc4'),
    ),
  )}</dd>
<dt>${esc(t.mDate)}</dt><dd>${esc(date(r.generatedAt, lang))} (${esc(r.generatedAt)}); data ${esc(primary.area.inputs.dataVersion.fingerprint)}</dd>
<dt>${esc(t.mPermalink)}</dt><dd><a href="${esc(r.permalink)}">${esc(r.permalink)}</a><br><a href="${esc(origin + primary.area.inputs.permalink)}">${esc(origin + primary.area.inputs.permalink)}</a></dd>
</dl></section>
</main>
${opts.scriptSrc ? `<script src="${esc(opts.scriptSrc)}"></script>` : ''}
</body>
</html>`
}
