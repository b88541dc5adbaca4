import type { Coverage } from '../api-client/index.js'
import { escapeHtml } from './dom.js'
import { formatDecimal, formatDistance, formatNumber } from '../i18n/format.js'

const pct = new Intl.NumberFormat('nl-NL', { style: 'percent', maximumFractionDigits: 1 })

/** The network figures: how much further than the crow flies, and who cannot get anywhere. */
function network(c: Coverage): string {
  const n = c.network
  if (!n) return ''
  const detour =
    n.meanDetourFactor === null
      ? ''
      : `<dt>Omweg (gemiddeld, gewogen naar inwoners)</dt><dd>${formatDecimal(n.meanDetourFactor)}× zo ver als hemelsbreed</dd>`
  const cut = n.unreachableInhabitants
  const unreachable =
    cut && cut.noPathNearby + cut.noPlaceReachable > 0
      ? `<dt>Inwoners zonder route</dt><dd>${formatNumber(cut.noPathNearby)} zonder pad of weg in de buurt, ${formatNumber(cut.noPlaceReachable)} zonder bereikbare plek</dd>`
      : ''
  return detour + unreachable
}

/** The figures of one area in plain Dutch, with the bands as a bar chart and the top gaps. */
export function renderCoverage(c: Coverage): string {
  const threshold = formatDistance(c.inputs.thresholdM)
  const how =
    c.inputs.mode === 'line' ? 'hemelsbreed' : c.inputs.mode === 'walk' ? 'lopend' : 'fietsend'
  const max = Math.max(1, ...c.bands.map((b) => b.inhabitants))
  const bands = c.bands
    .map((b) => {
      const label =
        b.toM === null
          ? `meer dan ${formatDistance(b.fromM)}`
          : `${formatDistance(b.fromM)} – ${formatDistance(b.toM)}`
      const width = Math.round((b.inhabitants / max) * 100)
      return `<li><span class="band-label">${label}</span><span class="bar" style="width:${width}%"></span><span class="band-value">${formatNumber(b.inhabitants)}</span></li>`
    })
    .join('')
  const gaps = c.gaps
    .map(
      (g, i) =>
        `<li><button type="button" class="gap" data-gap="${i}">${escapeHtml(g.wijk?.name ?? 'Onbekende wijk')}` +
        `${g.buurt ? `, ${escapeHtml(g.buurt.name)}` : ''}: ${formatNumber(g.inhabitants)} inwoners, ` +
        `${g.distanceM === null ? 'geen plek bereikbaar' : formatDistance(g.distanceM)}</button></li>`,
    )
    .join('')
  const source = c.inputs.population.sources
    .map((s) => `${escapeHtml(s.source)}${s.year ? ` (${s.year})` : ''}`)
    .join('; ')
  return `
    <h3>${escapeHtml(c.area.name)}</h3>
    <p class="headline">Van de <strong>${formatNumber(c.inhabitants)}</strong> inwoners wonen er
      <strong>${formatNumber(c.inhabitantsWithin)}</strong> (${c.share === null ? '–' : pct.format(c.share)})
      binnen ${threshold} (${how}) van een ontmoetingsplek.</p>
    <dl class="figures">
      <dt>Ontmoetingsplekken in dit gebied</dt><dd>${formatNumber(c.places)}${c.placesPer10k === null ? '' : ` (${formatDecimal(c.placesPer10k)} per 10.000 inwoners)`}</dd>
      <dt>Gemiddelde afstand tot de dichtstbijzijnde plek</dt><dd>${c.meanDistanceM === null ? '–' : formatDistance(c.meanDistanceM)}</dd>
      <dt>Gemiddeld aantal plekken binnen 1 / 3 / 5 km</dt><dd>${[c.meanPlacesWithin['1km'], c.meanPlacesWithin['3km'], c.meanPlacesWithin['5km']].map((v) => (v === null ? '–' : formatDecimal(v))).join(' / ')}</dd>
      ${network(c)}
    </dl>
    <h4>Inwoners per afstand</h4>
    <ul class="bands" aria-label="Inwoners per afstand tot een ontmoetingsplek">${bands}</ul>
    <h4>Grootste gaten (${formatNumber(c.gapInhabitants)} inwoners verder dan ${threshold})</h4>
    <ol class="gaps">${gaps || '<li>Geen gaten: iedereen woont binnen de grens.</li>'}</ol>
    <p class="note">Bron: ${source}${c.inputs.network ? `; wegennet: ${escapeHtml(c.inputs.network.source.file)}, ${escapeHtml(c.inputs.network.licence)}` : ''}. ${formatNumber(c.inputs.places.counted)} actieve ontmoetingsplekken geteld, H3-resolutie ${c.inputs.resolution}.
      <a href="${escapeHtml(c.inputs.permalink)}" target="_blank" rel="noopener">Cijfers als data</a></p>`
}
