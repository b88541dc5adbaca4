import type { Coverage } from '../api-client/index.js'
import {
  formatDecimal,
  formatDistance,
  formatNumber,
  formatPeople,
  formatPercent,
} from '../i18n/format.js'
import { lang, t } from '../i18n/index.js'
import { escapeHtml } from './dom.js'

const HOW = { line: 'modeLine', walk: 'modeWalk', bike: 'modeBike' } as const

/** The network figures: how much further than the crow flies, and who cannot get anywhere. */
function network(c: Coverage): string {
  const n = c.network
  if (!n) return ''
  const detour =
    n.meanDetourFactor === null
      ? ''
      : `<dt>${t('meanDetour')}</dt><dd>${t('meanDetourValue', formatDecimal(n.meanDetourFactor))}</dd>`
  const cut = n.unreachableInhabitants
  const unreachable =
    cut && cut.noPathNearby + cut.noPlaceReachable > 0
      ? `<dt>${t('noRoute')}</dt><dd>${t('noRouteValue', formatPeople(cut.noPathNearby), formatPeople(cut.noPlaceReachable))}</dd>`
      : ''
  return detour + unreachable
}

/**
 * The figures of one area in plain language, with the bands as a bar chart and the top gaps.
 * The bars carry their width as `data-width` (the Content-Security-Policy allows no style
 * attributes): `sizeBars` sets it once the HTML is in the page.
 */
export function renderCoverage(c: Coverage): string {
  const threshold = formatDistance(c.inputs.thresholdM)
  const how = t(HOW[c.inputs.mode as keyof typeof HOW] ?? 'modeLine')
  const max = Math.max(1, ...c.bands.map((b) => b.inhabitants))
  const bands = c.bands
    .map((b) => {
      const label =
        b.toM === null
          ? t('legendMoreThan', formatDistance(b.fromM))
          : `${formatDistance(b.fromM)} – ${formatDistance(b.toM)}`
      const width = Math.round((b.inhabitants / max) * 100)
      return `<li><span class="band-label">${label}</span><span class="bar" data-width="${width}"></span><span class="band-value">${formatPeople(b.inhabitants)}</span></li>`
    })
    .join('')
  // Gap areas, most severe first: neighbouring gap cells merged, named so people recognise them.
  const range = (d: { min: number; max: number } | null) =>
    d === null
      ? t('noPlace')
      : d.max - d.min < 100
        ? formatDistance(d.max)
        : t('distanceRange', formatDistance(d.min), formatDistance(d.max))
  const gaps = c.gapAreas
    .map(
      (g, i) =>
        `<li><button type="button" class="gap" data-gap="${i}" aria-pressed="false">` +
        `${escapeHtml(t('gapArea', g.label[lang], formatPeople(g.inhabitants), range(g.distanceM)))}` +
        `${g.sparse ? ` <span class="sparse">(${t('sparseArea')})</span>` : ''}</button></li>`,
    )
    .join('')
  const register = c.inputs.register
  const notice =
    register && !register.complete && register.message
      ? `<div class="notice" role="note"><strong>${t('registerIncomplete')}</strong><p>${escapeHtml(register.message[lang])}</p>${register.advice ? `<p>${escapeHtml(register.advice[lang])}</p>` : ''}</div>`
      : ''
  const changed = c.inputs.dataChanged
    ? `<div class="notice" role="note"><p>${escapeHtml(c.inputs.dataChanged.message[lang])}</p></div>`
    : ''
  const inArea = c.inputs.places.inArea
  const counted = inArea
    ? `<p class="note">${t('placesCounted', formatNumber(inArea.counted), formatNumber(inArea.checkedLastYear), formatNumber(inArea.leftOutApproximate))}</p>`
    : ''
  const source = [
    ...c.inputs.population.sources.map(
      (s) => `${escapeHtml(s.source)}${s.year ? ` (${s.year})` : ''}`,
    ),
    ...(c.inputs.network
      ? [escapeHtml(t('network', c.inputs.network.source.file, c.inputs.network.licence))]
      : []),
  ].join('; ')
  return `
    <h3>${escapeHtml(c.area.name)}</h3>
    ${changed}${notice}
    <p class="headline">${t(
      'areaHeadline',
      formatPeople(c.inhabitants),
      formatPeople(c.inhabitantsWithin),
      c.share === null ? '–' : formatPercent(c.share),
      threshold,
      how,
    )}</p>
    <dl class="figures">
      <dt>${t('placesInArea')}</dt><dd>${formatNumber(c.places)}${c.placesPer10k === null ? '' : ` (${t('per10k', formatDecimal(c.placesPer10k))})`}</dd>
      <dt>${t('meanDistance')}</dt><dd>${c.meanDistanceM === null ? '–' : formatDistance(c.meanDistanceM)}</dd>
      <dt>${t('meanWithin')}</dt><dd>${[c.meanPlacesWithin['1km'], c.meanPlacesWithin['3km'], c.meanPlacesWithin['5km']].map((v) => (v === null ? '–' : formatDecimal(v))).join(' / ')}</dd>
      ${network(c)}
    </dl>
    <h4>${t('bandsTitle')}</h4>
    <ul class="bands" aria-label="${t('bandsLabel')}">${bands}</ul>
    <h4>${t('gapAreasTitle', formatPeople(c.gapInhabitants), threshold, t('gapAreasCount', c.gapAreaCount))}</h4>
    <ol class="gaps">${gaps || `<li>${t('noGaps')}</li>`}</ol>
    ${counted}
    <p class="note">${t('sources', source, formatNumber(c.inputs.places.counted), c.inputs.resolution)}
      <a href="${escapeHtml(c.inputs.permalink)}" target="_blank" rel="noopener">${t('figuresAsData')}</a></p>`
}

/** Gives the band bars their width (in %), from their `data-width`. */
export function sizeBars(root: ParentNode): void {
  for (const bar of root.querySelectorAll<HTMLElement>('.bar[data-width]')) {
    bar.style.width = `${Number(bar.dataset.width)}%`
  }
}
