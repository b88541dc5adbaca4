import { booleanPointInPolygon } from '@turf/turf'
import {
  api,
  ApiError,
  type AssetFeature,
  type Coverage,
  type FeatureCollection,
  type HexMetric,
  type Proposal,
  type TileJson,
} from './api-client/index.js'
import { formatNumber } from './i18n/format.js'
import { lang, locale, switchLanguage, t, translatePage } from './i18n/index.js'
import { COLORS, describeCell, legendFor, modeWords } from './map/layers.js'
import { createMap } from './map/index.js'
import { createAccount, locked, may, session } from './ui/account.js'
import { renderCoverage, sizeBars } from './ui/area-panel.js'
import { byId, escapeHtml } from './ui/dom.js'
import { createModeration } from './ui/moderation.js'
import { createNextPlace } from './ui/next-place.js'
import { createScenario } from './ui/scenario.js'
import { renderPlace, type PlaceRights } from './ui/place-panel.js'
import { createPlaceForm, type PlaceValues } from './ui/place-form.js'
import { renderPlaceList, renderResults, searchPlaces } from './ui/search.js'
import { offerDataLoad } from './ui/load-data.js'
import { showToast } from './ui/toast.js'

translatePage()

const status = byId<HTMLElement>('status')
const layerSelect = byId<HTMLSelectElement>('layer')
const thresholdSelect = byId<HTMLSelectElement>('threshold')
const modeSelect = byId<HTMLSelectElement>('mode')
const resSelect = byId<HTMLSelectElement>('res')
const statusBox = byId<HTMLFieldSetElement>('statuses')
const hexLegend = byId<HTMLElement>('hex-legend')
const layerStatus = byId<HTMLElement>('layer-status')
const readout = byId<HTMLElement>('readout')
const gemeenteSelect = byId<HTMLSelectElement>('gemeente')
const wijkSelect = byId<HTMLSelectElement>('wijk')
const areaFigures = byId<HTMLElement>('area-figures')
const kindsBox = byId<HTMLFieldSetElement>('kinds')
const wheelchairSelect = byId<HTMLSelectElement>('wheelchair')
const freeEntryBox = byId<HTMLInputElement>('free-entry')
const approximateBox = byId<HTMLInputElement>('approximate')
const openNowBox = byId<HTMLInputElement>('open-now')
const searchInput = byId<HTMLInputElement>('search')
const searchResults = byId<HTMLElement>('search-results')
const placeSection = byId<HTMLElement>('place')
const placeBody = byId<HTMLElement>('place-body')
const listItems = byId<HTMLElement>('list-items')

const placesText = (n: number) => t('places', formatNumber(n), n === 1)

/**
 * A legend line: a swatch and its text. Colours are set through the DOM, never as a style
 * attribute (the Content-Security-Policy allows no inline styles).
 */
function legendItem(text: string, swatchClass: string, style: Partial<CSSStyleDeclaration>) {
  const li = document.createElement('li')
  const swatch = document.createElement('span')
  swatch.className = swatchClass
  swatch.setAttribute('aria-hidden', 'true')
  Object.assign(swatch.style, style)
  li.append(swatch, text)
  return li
}

byId<HTMLElement>('legend').replaceChildren(
  legendItem(t('meetingPlace'), 'swatch', { background: COLORS.meetingPlace }),
  legendItem(t('other'), 'swatch', { background: COLORS.other }),
  legendItem(t('statusPlanned'), 'swatch ring', { borderColor: COLORS.planned }),
  legendItem(t('statusClosed'), 'swatch ring', { borderColor: COLORS.closed }),
  legendItem(t('notCounted'), 'swatch', { background: COLORS.faded }),
  legendItem(t('legendOutdated'), 'swatch outdated-mark', {}),
)

byId<HTMLButtonElement>('language').addEventListener('click', () =>
  switchLanguage(lang === 'nl' ? 'en' : 'nl'),
)

// On a phone the panel is a bottom sheet: the handle opens and closes it.
const sheetHandle = byId<HTMLButtonElement>('sheet-handle')
sheetHandle.addEventListener('click', () => {
  const open = document.body.dataset.sheet !== 'open'
  document.body.dataset.sheet = open ? 'open' : 'closed'
  sheetHandle.setAttribute('aria-expanded', String(open))
})

// The URL holds the state: the view in the hash (MapLibre), the layer choices in the query.
const params = new URLSearchParams(location.search)
const pick = (select: HTMLSelectElement, value: string | null) => {
  if (value && [...select.options].some((o) => o.value === value && !o.disabled))
    select.value = value
}
pick(layerSelect, params.get('layer'))
thresholdSelect.value = '800'
pick(thresholdSelect, params.get('threshold'))
pick(modeSelect, params.get('mode'))
pick(resSelect, params.get('res'))
const statusesInUrl = params.get('status')?.split(',')
if (statusesInUrl) {
  for (const box of statusBox.querySelectorAll<HTMLInputElement>('input')) {
    box.checked = statusesInUrl.includes(box.value)
  }
}

let openPlace = params.get('place') ?? ''

/**
 * A register larger than this is drawn from the `assets` vector tiles (server clusters, then
 * points) instead of one GeoJSON of every place; the list of places in view and the search then
 * ask the API. `?tiles=assets` in the URL chooses the tiles whatever the size (for tests and
 * for trying it out). Decided once per page load.
 */
const LARGE_REGISTER = 5_000
const tilesInUrl = params.get('tiles') === 'assets'
/** Places drawn from vector tiles (large register); undefined until the first load decides. */
let tiled: boolean | undefined
/** The TileJSON of the places (large register): its tile URLs name the data version. */
let assetTiles: TileJson | undefined
/** How many places there are (the status line). */
let placeCount = 0

/**
 * Fetches what the map draws the places from: the TileJSON and the count of the `assets`
 * tiles, and (small register) every place as GeoJSON. Where the tiles cannot be had the
 * GeoJSON is drawn, as before tiles existed.
 */
async function fetchPlaces() {
  if (tiled !== false) {
    try {
      const tileJson = await api.tileJson('assets', {})
      const count = await api.assetCount(tileJson)
      tiled ??= tilesInUrl || count > LARGE_REGISTER
      if (tiled) {
        assetTiles = tileJson
        placeCount = count
        places = []
        return
      }
    } catch (e) {
      if (tiled) throw e
      tiled = false
    }
  }
  const all = await api.allAssets()
  places = all.features
  placeCount = places.length
}

/** The day (YYYY-MM-DD, UTC) before which a place counts as possibly outdated. */
function outdatedBefore(): string {
  const days = session().settings.verification_max_age_days
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)
}

const taxonomy = api.taxonomy()
pick(wheelchairSelect, params.get('wheelchair'))
freeEntryBox.checked = params.get('freeEntry') === 'true'
approximateBox.checked = params.get('approximate') === 'include'
openNowBox.checked = params.get('openAt') === 'now'
const kindsInUrl = params.get('kind')?.split(',') ?? []

/** The meeting-place kinds, one checkbox each; all checked means no kind filter. */
async function buildKindBoxes() {
  const { kinds } = await taxonomy
  for (const kind of kinds.filter((k) => k.is_meeting_place)) {
    const label = document.createElement('label')
    label.className = 'check'
    const box = document.createElement('input')
    box.type = 'checkbox'
    box.value = kind.code
    box.checked = kindsInUrl.length === 0 || kindsInUrl.includes(kind.code)
    label.append(box, ` ${kind.label[lang]}`)
    kindsBox.append(label)
  }
  if (
    statusesInUrl ||
    kindsInUrl.length > 0 ||
    wheelchairSelect.value ||
    freeEntryBox.checked ||
    openNowBox.checked ||
    approximateBox.checked
  ) {
    byId<HTMLDetailsElement>('counted').open = true
  }
}

/** Which places count, as the API's query parameters (defaults left out). */
function placeFilter(): Record<string, string> {
  const boxes = [...kindsBox.querySelectorAll<HTMLInputElement>('input[type=checkbox]')]
  const kinds = boxes.filter((b) => b.checked).map((b) => b.value)
  const statuses = [...statusBox.querySelectorAll<HTMLInputElement>('input:checked')].map(
    (b) => b.value,
  )
  const status = statuses.join(',')
  return {
    ...(kinds.length < boxes.length ? { kind: kinds.join(',') } : {}),
    // Active only is the API's default; an empty choice is not a filter anyone means.
    ...(status && status !== 'active' ? { status } : {}),
    ...(wheelchairSelect.value ? { wheelchair: wheelchairSelect.value } : {}),
    ...(freeEntryBox.checked ? { freeEntry: 'true' } : {}),
    ...(openNowBox.checked ? { openAt: 'now' } : {}),
    // A town or district centre is not where a place is: counted only when asked.
    ...(approximateBox.checked ? { approximate: 'include' } : {}),
  }
}

let countedInFlight: AbortController | undefined

/**
 * Redraws the places with the current filter: the ones that count stand out, the others fade
 * (a filter changes what the figures count; the map shows the same selection).
 */
async function drawPlaces() {
  countedInFlight?.abort()
  const controller = new AbortController()
  countedInFlight = controller
  const filter = placeFilter()
  const noFilter = Object.keys(filter).length === 0
  try {
    const counted = noFilter ? undefined : await api.counted(filter, controller.signal)
    if (controller.signal.aborted) return
    const ids = counted ? new Set(counted.ids) : undefined
    if (tiled && assetTiles) await view.showAssetTiles(assetTiles, counted?.ids, outdatedBefore())
    else await view.showAssets({ type: 'FeatureCollection', features: places }, ids)
    document.body.dataset.counted = ids ? String(ids.size) : 'all'
  } catch (e) {
    if (!controller.signal.aborted) throw e
  }
}

/** Reloads the places on the map (after a change), keeping the status line right. */
async function reloadPlaces() {
  await fetchPlaces()
  await drawPlaces()
  status.textContent = placesText(placeCount)
  refreshList()
  refreshSoon()
  void refreshArea(false)
  scenario.refresh()
}

/** A contributor's change went to the moderators: say so, and show the place as it still is. */
function proposed(proposal: Proposal) {
  showToast(t('proposalSent'))
  void moderation.refresh()
  if (proposal.asset_id && proposal.asset_id === openPlace) void showPlace(proposal.asset_id)
}

/**
 * Deletes a place after the inline confirmation. A moderator's toast offers undo (restore); a
 * contributor's delete is a proposal.
 */
async function deletePlace(place: AssetFeature) {
  let proposal: Proposal | undefined
  try {
    proposal = await api.deleteAsset(place.id, place.properties.version)
  } catch (e) {
    showToast(e instanceof ApiError ? e.message : t('offline'))
    return
  }
  if (proposal) {
    proposed(proposal)
    return
  }
  await showPlace('')
  await reloadPlaces()
  // Only a moderator may bring a deleted place back.
  if (!may('moderator')) {
    showToast(t('deleted', place.properties.name))
    return
  }
  showToast(t('deleted', place.properties.name), {
    label: t('undo'),
    run: () =>
      void api
        .restoreAsset(place.id)
        .then(async (restored) => {
          await reloadPlaces()
          await showPlace(restored.id)
          showToast(t('undone'))
        })
        .catch((e: unknown) => showToast(e instanceof ApiError ? e.message : t('offline'))),
  })
}

/** Shows one place with its history in the Plek section (or closes it). */
async function showPlace(id: string) {
  openPlace = id
  writeUrl()
  if (!id) {
    placeSection.hidden = true
    placeBody.innerHTML = ''
    delete document.body.dataset.place
    return
  }
  placeSection.hidden = false
  // Another place: say it is loading. The same place again (after a change): keep it in view.
  if (document.body.dataset.place !== id) {
    placeBody.innerHTML = `<p class="note">${t('placeLoading')}</p>`
  }
  try {
    const [place, history, labels] = await Promise.all([api.asset(id), api.history(id), taxonomy])
    if (openPlace !== id) return
    placeBody.innerHTML = renderPlace(place, history, labels, rights())
    byId<HTMLButtonElement>('place-close').addEventListener('click', () => void showPlace(''))
    document.getElementById('place-edit')?.addEventListener('click', () => void form.edit(place))
    const confirm = byId<HTMLElement>('place-confirm')
    document.getElementById('place-delete')?.addEventListener('click', () => {
      confirm.hidden = false
      byId<HTMLButtonElement>('place-delete-no').focus()
    })
    byId<HTMLButtonElement>('place-delete-no').addEventListener('click', () => {
      confirm.hidden = true
    })
    byId<HTMLButtonElement>('place-delete-yes').addEventListener(
      'click',
      () => void deletePlace(place),
    )
    document.getElementById('place-verify')?.addEventListener('click', (e) => {
      const button = e.currentTarget as HTMLButtonElement
      button.disabled = true
      void api
        .verifyAsset(place.id)
        .then(async () => {
          showToast(t('verifiedNow', place.properties.name))
          await reloadPlaces()
          await showPlace(place.id)
        })
        .catch((err: unknown) => {
          button.disabled = false
          showToast(err instanceof ApiError ? err.message : t('offline'))
        })
    })
    offerRevert(place)
    offerClosing(place)
    byId<HTMLButtonElement>('place-close').focus({ preventScroll: true })
    document.body.dataset.place = id
  } catch (e) {
    placeBody.innerHTML = `<p class="note">${e instanceof ApiError ? escapeHtml(e.message) : t('placeFailed')}</p>`
  }
}

/**
 * In a what-if scenario, an open meeting place can close (only in the scenario): the preview
 * then shows who loses a place nearby.
 */
function offerClosing(place: AssetFeature) {
  const p = place.properties
  if (!scenario.isActive() || p.is_meeting_place !== true || p.status !== 'active') return
  if (scenario.isClosed(place.id)) return
  const box = document.createElement('div')
  box.className = 'scenario-closing'
  const button = document.createElement('button')
  button.type = 'button'
  button.id = 'place-scenario-close'
  button.className = 'secondary'
  button.textContent = t('scenarioCloseThis')
  const note = document.createElement('p')
  note.className = 'note'
  note.textContent = t('scenarioCloseNote')
  button.addEventListener('click', () => {
    scenario.closePlace(place.id, p.name)
    box.remove()
  })
  box.append(button, note)
  placeBody.append(box)
}

/** What the person signed in may do with a place (a visitor: nothing). */
function rights(): PlaceRights {
  return {
    edit: may('contributor'),
    delete: may('moderator')
      ? 'undo'
      : may('trusted')
        ? 'direct'
        : may('contributor')
          ? 'propose'
          : 'none',
    verify: may('trusted'),
    revert: may('moderator'),
  }
}

/** "Terugzetten naar deze versie": asked inline under that version, then a new version. */
function offerRevert(place: AssetFeature) {
  const history = byId<HTMLElement>('place-history')
  const confirm = byId<HTMLElement>('revert-confirm')
  let version = 0
  history.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-revert]')
    if (!button) return
    version = Number(button.dataset.revert)
    byId<HTMLElement>('revert-confirm-text').textContent = t('revertConfirm', version)
    button.closest('li')?.append(confirm)
    confirm.hidden = false
    byId<HTMLButtonElement>('revert-no').focus()
  })
  byId<HTMLButtonElement>('revert-no').addEventListener('click', () => {
    confirm.hidden = true
  })
  byId<HTMLButtonElement>('revert-yes').addEventListener('click', () => {
    byId<HTMLButtonElement>('revert-yes').disabled = true
    void api
      .revertAsset(place.id, version)
      .then(async () => {
        showToast(t('reverted', version))
        await reloadPlaces()
        await showPlace(place.id)
      })
      .catch((err: unknown) => {
        byId<HTMLButtonElement>('revert-yes').disabled = false
        showToast(err instanceof ApiError ? err.message : t('offline'))
      })
  })
}

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return
  if (form.isOpen()) form.close()
  else if (account.isOpen()) account.closeLogin()
  else if (moderation.isOpen()) moderation.close()
  else if (!placeSection.hidden) void showPlace('')
})

/** The chosen area: the wijk when one is chosen, else the gemeente (or none). */
const selectedArea = () => wijkSelect.value || gemeenteSelect.value

/** What a scenario and the suggestions are computed for: the area, mode and threshold on screen. */
function planningSettings() {
  const area = selectedArea()
  return area
    ? { area, mode: modeSelect.value, threshold: Number(thresholdSelect.value) }
    : undefined
}

const areaActions = byId<HTMLElement>('area-actions')
const reportLink = byId<HTMLAnchorElement>('report-link')

function writeUrl() {
  const q = new URLSearchParams({
    layer: layerSelect.value,
    threshold: thresholdSelect.value,
    mode: modeSelect.value,
  })
  if (resSelect.value !== 'auto') q.set('res', resSelect.value)
  if (selectedArea()) q.set('area', selectedArea())
  if (openPlace) q.set('place', openPlace)
  for (const [key, value] of Object.entries(placeFilter())) q.set(key, value)
  // The scenario is part of what is on screen.
  for (const [key, value] of Object.entries(scenario.urlParams())) q.set(key, value)
  if (lang !== 'nl') q.set('lang', lang)
  if (tilesInUrl) q.set('tiles', 'assets')
  history.replaceState(null, '', `?${q.toString()}${location.hash}`)
  // "Rapport maken": the report of the area on screen, with the scenario once it is saved.
  const area = selectedArea()
  areaActions.hidden = !area
  if (area) reportLink.href = scenario.reportUrl(area, scenario.savedId())
}

const view = createMap(byId<HTMLElement>('map'), {
  onBasemap: (ok) => {
    byId<HTMLElement>('basemap-note').hidden = ok
    document.body.dataset.basemap = ok ? 'pdok' : 'offline'
  },
})
let inFlight: AbortController | undefined

/** The wijken of the chosen gemeente: names for the suggestions. */
let wijkFeatures: FeatureCollection['features'] = []

/** The wijk at a point, by name. */
function whereIs(lon: number, lat: number): string | undefined {
  const hit = wijkFeatures.find((f) =>
    booleanPointInPolygon([lon, lat], f as Parameters<typeof booleanPointInPolygon>[1]),
  )
  return hit ? String(hit.properties.name) : undefined
}

const scenario = createScenario({
  map: view,
  taxonomy,
  settings: planningSettings,
  filtered: () => Object.keys(placeFilter()).length > 0,
  onChange: () => writeUrl(),
  onToggle: () => {
    if (openPlace) void showPlace(openPlace)
  },
})
const nextPlace = createNextPlace({
  map: view,
  taxonomy,
  scenario,
  settings: planningSettings,
  whereIs,
})

/** Area, mode and threshold the scenario and suggestions were last computed for. */
let planningKey = ''

/** The area, mode or threshold changed: the scenario and the suggestions follow. */
function planningFollows() {
  const s = planningSettings()
  const key = s ? `${s.area}|${s.mode}|${s.threshold}` : ''
  if (key === planningKey) return
  planningKey = key
  if (!s) {
    scenario.leave()
    nextPlace.close()
    return
  }
  scenario.settingsChanged()
  nextPlace.settingsChanged()
}

function renderLegend(metric: HexMetric | 'none', threshold: number) {
  if (metric === 'none') {
    hexLegend.innerHTML = ''
    return
  }
  const legend = legendFor(metric, threshold, modeSelect.value)
  const title = document.createElement('h3')
  title.textContent = legend.title
  const list = document.createElement('ul')
  list.append(
    ...legend.items.map((i) =>
      legendItem(i.label, 'chip', { background: i.color, opacity: String(i.opacity ?? 0.8) }),
    ),
  )
  const note = document.createElement('p')
  note.className = 'note'
  note.textContent = legend.note
  hexLegend.replaceChildren(title, list, note)
}

/** What the hexagon layer on screen shows: its metric and tile URL ('' for none). */
let hexKey = ''
/** A TileJSON is being asked for: what the map draws meanwhile is the old layer. */
let hexPending = false
/** A tile of the layer failed to load (until the layer changes). */
let hexFailed = false
/** The status line's second half: how many places the layer counts (none for density). */
let countedText = ''

/**
 * The hexagon layer from vector tiles: one TileJSON request per choice of layer, mode,
 * threshold, size and filter (and after an edit, for the new data version); panning and
 * zooming only load tiles. The status line follows when the tiles in view are drawn.
 */
async function refreshHexes() {
  // The detour compares the network with the straight line: it needs walk or bike.
  if (layerSelect.value === 'detour' && modeSelect.value === 'line') {
    const network = [...modeSelect.options].find((o) => o.value !== 'line' && !o.disabled)
    if (network) modeSelect.value = network.value
  }
  writeUrl()
  const metric = layerSelect.value as HexMetric | 'none'
  const threshold = Number(thresholdSelect.value)
  renderLegend(metric, threshold)
  inFlight?.abort()
  hexPending = false
  if (metric === 'none') {
    hexKey = ''
    await view.showHexTiles(undefined, 'population')
    layerStatus.textContent = ''
    delete document.body.dataset.layer
    return
  }
  const controller = new AbortController()
  inFlight = controller
  hexPending = true
  const filter = placeFilter()
  const query: Record<string, string> = {
    metric,
    mode: modeSelect.value,
    threshold: String(threshold),
    ...(resSelect.value === 'auto' ? {} : { res: resSelect.value }),
    ...filter,
  }
  layerStatus.textContent = t('layerLoading')
  try {
    const [tileJson, counted] = await Promise.all([
      api.tileJson('cells', query, controller.signal),
      // Density counts every place in a cell; the other layers count the filter's places.
      metric === 'density' ? undefined : api.counted(filter, controller.signal),
    ])
    if (controller.signal.aborted) return
    countedText = counted === undefined ? '' : `, ${t('countedPlaces', counted.count)}`
    const key = `${metric}|${tileJson.tiles[0] ?? ''}`
    const same = key === hexKey
    hexKey = key
    if (!same) hexFailed = false
    await view.showHexTiles(tileJson, metric)
    if (controller.signal.aborted) return
    // The map counts the cells in view once their tiles are in (see onHexesDrawn).
    hexPending = false
  } catch (e) {
    if (controller.signal.aborted) return
    hexPending = false
    hexKey = ''
    await view.showHexTiles(undefined, metric)
    layerStatus.textContent = e instanceof ApiError ? e.message : t('layerFailed')
    delete document.body.dataset.layer
  }
}

/** The tiles in view are drawn: say how many cells there are, and what the layer counts. */
function hexesDrawn(cells: number) {
  if (!hexKey || hexPending) return
  layerStatus.textContent = hexFailed
    ? t('layerFailed')
    : t('cells', formatNumber(cells)) + countedText
  document.body.dataset.layer = hexKey.split('|')[0]
}

let coverageInFlight: AbortController | undefined
let shownGaps: Coverage['gapAreas'] = []

/** Figures of the chosen area for the chosen threshold and mode. */
async function refreshArea(fit: boolean) {
  writeUrl()
  planningFollows()
  const code = selectedArea()
  coverageInFlight?.abort()
  if (!code) {
    areaFigures.innerHTML = ''
    await view.showSelected(undefined, false)
    return
  }
  const controller = new AbortController()
  coverageInFlight = controller
  areaFigures.innerHTML = `<p class="note">${t('figuresLoading')}</p>`
  try {
    const [feature, coverage] = await Promise.all([
      api.area(code),
      api.coverage(
        {
          area: code,
          mode: modeSelect.value,
          threshold: Number(thresholdSelect.value),
          filter: placeFilter(),
        },
        controller.signal,
      ),
    ])
    await view.showSelected(feature, fit)
    shownGaps = coverage.gapAreas
    areaFigures.innerHTML = renderCoverage(coverage)
    sizeBars(areaFigures)
    document.body.dataset.area = code
  } catch (e) {
    if (controller.signal.aborted) return
    areaFigures.innerHTML = `<p class="note">${e instanceof ApiError ? escapeHtml(e.message) : t('figuresFailed')}</p>`
  }
}

async function chooseGemeente(code: string, wijk = '') {
  gemeenteSelect.value = code
  wijkSelect.innerHTML = `<option value="">${t('wholeGemeente')}</option>`
  wijkSelect.disabled = !code
  wijkFeatures = []
  if (code) {
    const wijken = await api.areas('wijk', code)
    wijkFeatures = wijken.features
    for (const f of wijken.features.sort((a, b) =>
      String(a.properties.name).localeCompare(String(b.properties.name), locale),
    )) {
      wijkSelect.add(new Option(String(f.properties.name), String(f.properties.code)))
    }
    wijkSelect.value = wijk
  }
  await refreshArea(true)
}

gemeenteSelect.addEventListener('change', () => void chooseGemeente(gemeenteSelect.value))
wijkSelect.addEventListener('change', () => void refreshArea(true))
areaFigures.addEventListener('click', (e) => {
  const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-gap]')
  const gap = button ? shownGaps[Number(button.dataset.gap)] : undefined
  if (gap) view.flyTo(gap.point[0], gap.point[1])
})

/** After a save: show the place, and for an edit offer to undo it (back to what it was). */
function saved(
  place: AssetFeature,
  previous: { version: number; values: PlaceValues } | undefined,
) {
  void reloadPlaces().then(() => showPlace(place.id))
  if (!previous) {
    showToast(t('savedAs', place.properties.name))
    return
  }
  showToast(t('savedAs', place.properties.name), {
    label: t('undo'),
    run: () => {
      const { position, ...fields } = previous.values
      void api
        .updateAsset(place.id, previous.version, {
          properties: fields,
          ...(position ? { geometry: { type: 'Point' as const, coordinates: position } } : {}),
        })
        .then(async (back) => {
          if (back.proposal) {
            proposed(back.proposal)
            return
          }
          await reloadPlaces()
          await showPlace(back.asset.id)
          showToast(t('undone'))
        })
        .catch((e: unknown) => showToast(e instanceof ApiError ? e.message : t('offline')))
    },
  })
}

const form = createPlaceForm({
  map: view,
  taxonomy,
  suggesting: () => !session().user,
  proposing: () => !may('trusted'),
  onSaved: saved,
  onProposed: proposed,
})

const moderation = createModeration({
  map: view,
  taxonomy,
  onApproved: (asset) => {
    void reloadPlaces().then(() =>
      asset && !asset.properties.deleted_at ? showPlace(asset.id) : undefined,
    )
  },
})

/** Shows what the person signed in may do: add or suggest places, review, or only read. */
function applyRights() {
  const { user, settings } = session()
  byId<HTMLElement>('add-place').hidden = !user
  byId<HTMLElement>('suggest-place').hidden = Boolean(user) || !settings.anonymous_suggestions
  byId<HTMLElement>('login-hint').hidden = Boolean(user)
  // An open form stays open: after signing in (again) it can still be saved.
  void moderation.refresh()
}

const account = createAccount((why) => {
  applyRights()
  scenario.sessionChanged()
  if (!started) {
    // The map was for accounts only: now it can load.
    start().catch(() => (status.textContent = t('offline')))
    return
  }
  // Contact details and buttons differ per role: show the open place again.
  if (openPlace) void showPlace(openPlace)
  void offerDataLoad()
  if (why === 'logout') void reloadPlaces()
})
api.onLoginNeeded(() => void account.loginNeeded(t('loginNeeded')))
byId<HTMLButtonElement>('login-hint-open').addEventListener('click', () => account.openLogin())

view.onClick({
  pick: form.picking,
  propose: scenario.proposing,
  place: (id) => void showPlace(id),
  gemeente: (code) => {
    if (code !== gemeenteSelect.value) void chooseGemeente(code)
  },
})

byId<HTMLDetailsElement>('counted').addEventListener('change', () => {
  void drawPlaces()
  refreshSoon()
  void refreshArea(false)
  scenario.refresh()
})

let timer: ReturnType<typeof setTimeout> | undefined
const refreshSoon = () => {
  clearTimeout(timer)
  timer = setTimeout(() => void refreshHexes(), 150)
}
for (const select of [layerSelect, thresholdSelect, modeSelect, resSelect])
  select.addEventListener('change', refreshSoon)
for (const select of [thresholdSelect, modeSelect])
  select.addEventListener('change', () => void refreshArea(false))
// Panning and zooming load the tiles they need: only the list of places in view follows.
view.onViewChange(() => refreshList())
view.onHexesDrawn({
  drawn: hexesDrawn,
  failed: () => {
    if (!hexKey || hexPending) return
    hexFailed = true
    layerStatus.textContent = t('layerFailed')
  },
})
view.onHexHover((properties, point) => {
  const metric = layerSelect.value as HexMetric | 'none'
  if (!properties || metric === 'none') {
    readout.hidden = true
    return
  }
  readout.textContent = describeCell(metric, properties, modeSelect.value)
  readout.hidden = false
  // Keep it on screen: flip to the left of the pointer near the right edge.
  const room = view.map.getContainer().clientWidth - point.x
  readout.style.left = `${Math.max(4, room < readout.offsetWidth + 30 ? point.x - readout.offsetWidth - 14 : point.x + 14)}px`
  readout.style.top = `${point.y + 14}px`
})

let places: FeatureCollection['features'] = []
let found: FeatureCollection['features'] = []
let listed: FeatureCollection['features'] = []
let searchInFlight: AbortController | undefined
let searchTimer: ReturnType<typeof setTimeout> | undefined
searchInput.addEventListener('input', () => {
  const query = searchInput.value
  if (!tiled) {
    found = searchPlaces(places, query)
    searchResults.innerHTML = renderResults(found, query)
    return
  }
  // A large register is not in the page: the API searches it (by name, a moment after typing).
  clearTimeout(searchTimer)
  searchInFlight?.abort()
  if (!query.trim()) {
    found = []
    searchResults.innerHTML = ''
    return
  }
  searchTimer = setTimeout(() => {
    const controller = new AbortController()
    searchInFlight = controller
    api
      .assetsPage({ q: query.trim(), limit: 8 }, controller.signal)
      .then((page) => {
        if (controller.signal.aborted) return
        found = page.features
        searchResults.innerHTML = renderResults(found, query)
      })
      .catch(() => {
        if (!controller.signal.aborted)
          searchResults.innerHTML = `<li class="note">${t('offline')}</li>`
      })
  }, 200)
})
const openFromList = (list: () => FeatureCollection['features'], attr: string) => (e: Event) => {
  const button = (e.target as HTMLElement).closest<HTMLButtonElement>(`button[${attr}]`)
  const place = button ? list()[Number(button.getAttribute(attr))] : undefined
  if (!place?.id) return
  const [lon, lat] = (place.geometry as { coordinates: [number, number] }).coordinates
  view.flyTo(lon, lat)
  void showPlace(String(place.id))
}
searchResults.addEventListener(
  'click',
  openFromList(() => found, 'data-result'),
)
listItems.addEventListener(
  'click',
  openFromList(() => listed, 'data-result'),
)

/** The places in view as a list: the map's essential information without the map. */
function refreshList() {
  if (tiled) {
    void listFromApi()
    return
  }
  const [w, s, e, n] = view.bounds()
  const inView = places.filter((p) => {
    const [lon, lat] = (p.geometry as { coordinates: [number, number] }).coordinates
    return lon >= w && lon <= e && lat >= s && lat <= n
  })
  listed = inView
    .sort((a, b) => String(a.properties.name).localeCompare(String(b.properties.name), locale))
    .slice(0, 100)
  byId<HTMLElement>('list-count').textContent = t('listCount', listed.length, inView.length)
  listItems.innerHTML = renderPlaceList(listed)
}

let listInFlight: AbortController | undefined

/** A large register's places in view: the first 100 by name, from the API, after every move. */
async function listFromApi() {
  listInFlight?.abort()
  const controller = new AbortController()
  listInFlight = controller
  const count = byId<HTMLElement>('list-count')
  try {
    const page = await api.assetsPage({ bbox: view.bounds(), limit: 100 }, controller.signal)
    if (controller.signal.aborted) return
    listed = page.features
    count.textContent = page.more
      ? t('listCountMore', listed.length)
      : t('listCount', listed.length, listed.length)
    listItems.innerHTML = renderPlaceList(listed)
  } catch {
    if (controller.signal.aborted) return
    count.textContent = t('offline')
  }
}

/** Walk and bike can be chosen once a network for them is loaded. */
async function enableModes() {
  const info = await api.network().catch(() => undefined)
  for (const option of modeSelect.options) {
    if (option.value === 'line') continue
    const loaded = info?.profiles.find((p) => p.profile === option.value)
    option.disabled = !loaded
    option.text = loaded
      ? modeWords(option.value)
      : `${modeWords(option.value)} (${t('noNetwork')})`
  }
  pick(modeSelect, params.get('mode'))
}

async function load() {
  void offerDataLoad()
  await Promise.all([buildKindBoxes(), enableModes()])
  const [gemeenten] = await Promise.all([api.gemeenten(), fetchPlaces()])
  await Promise.all([view.showGemeenten(gemeenten), drawPlaces()])
  status.textContent = placesText(placeCount)
  document.body.dataset.places = tiled ? 'tiles' : 'geojson'
  refreshList()
  for (const f of gemeenten.features) {
    gemeenteSelect.add(new Option(String(f.properties.name), String(f.properties.code)))
  }
  const area = params.get('area') ?? ''
  const gemeente = /^WK\d{6}$/.test(area) ? `GM${area.slice(2, 6)}` : area
  if (
    /^GM\d{4}$/.test(gemeente) &&
    gemeenten.features.some((f) => f.properties.code === gemeente)
  ) {
    await chooseGemeente(gemeente, gemeente === area ? '' : area)
  }
  await scenario.restore(params)
  if (openPlace) await showPlace(openPlace)
  await refreshHexes()
  // A draft is brought back to whoever may still save (or suggest) it.
  if (session().user || session().settings.anonymous_suggestions) await form.restoreDraft()
  document.body.dataset.ready = 'true'
}

let started = false

/** Loads the map, unless it is for accounts only and nobody is signed in yet. */
async function start() {
  if (started || locked()) {
    status.textContent = ''
    return
  }
  started = true
  await load()
}

void account
  .start()
  .then(() => {
    applyRights()
    return start()
  })
  .catch(() => {
    status.textContent = t('offline')
  })
