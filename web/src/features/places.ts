import { api, type FeatureCollection, type TileJson } from '../api-client/index.js'
import { formatNumber } from '../i18n/format.js'
import { locale, t } from '../i18n/index.js'
import type { createMap } from '../map/index.js'
import { latest, type Store } from '../state/store.js'
import { filterQuery, type ViewState } from '../state/view.js'
import { session } from '../ui/account.js'
import { byId } from '../ui/dom.js'
import { renderPlaceList, renderResults, searchPlaces } from '../ui/search.js'

type Places = FeatureCollection['features']

/**
 * A register larger than this is drawn from the `assets` vector tiles (server clusters, then
 * points) instead of one GeoJSON of every place; the list of places in view and the search then
 * ask the API. `?tiles=assets` in the URL chooses the tiles whatever the size (for tests and
 * for trying it out). Decided once per page load.
 */
const LARGE_REGISTER = 5_000

/** The day (YYYY-MM-DD, UTC) before which a place counts as possibly outdated. */
function outdatedBefore(): string {
  const days = session().settings.verification_max_age_days
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The places on the map, the status line that counts them, the list of places in view and the
 * search. The filter decides which places stand out; the camera which ones are listed.
 */
export function createPlaces(deps: {
  store: Store<ViewState>
  view: ReturnType<typeof createMap>
  /** A place was chosen from the list or the search results. */
  onOpen: (id: string) => void
}) {
  const { store, view } = deps
  const status = byId<HTMLElement>('status')
  const searchInput = byId<HTMLInputElement>('search')
  const searchResults = byId<HTMLElement>('search-results')
  const listItems = byId<HTMLElement>('list-items')
  const listCount = byId<HTMLElement>('list-count')
  const countedRequest = latest()
  const searchRequest = latest()
  const listRequest = latest()

  /** Places drawn from vector tiles (large register); undefined until the first load decides. */
  let tiled: boolean | undefined
  /** The TileJSON of the places (large register): its tile URLs name the data version. */
  let assetTiles: TileJson | undefined
  /** How many places there are (the status line). */
  let placeCount = 0
  /** Every place (small register only). */
  let places: Places = []
  let found: Places = []
  let listed: Places = []

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
        tiled ??= store.get().tiles || count > LARGE_REGISTER
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

  /**
   * Redraws the places with the current filter: the ones that count stand out, the others fade
   * (a filter changes what the figures count; the map shows the same selection).
   */
  async function draw() {
    const signal = countedRequest.next()
    const filter = filterQuery(store.get().filter)
    const noFilter = Object.keys(filter).length === 0
    try {
      const counted = noFilter ? undefined : await api.counted(filter, signal)
      if (signal.aborted) return
      const ids = counted ? new Set(counted.ids) : undefined
      if (tiled && assetTiles) await view.showAssetTiles(assetTiles, counted?.ids, outdatedBefore())
      else await view.showAssets({ type: 'FeatureCollection', features: places }, ids)
      document.body.dataset.counted = ids ? String(ids.size) : 'all'
    } catch (e) {
      if (!signal.aborted) throw e
    }
  }

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
    listCount.textContent = t('listCount', listed.length, inView.length)
    listItems.innerHTML = renderPlaceList(listed)
  }

  /** A large register's places in view: the first 100 by name, from the API, after every move. */
  async function listFromApi() {
    const signal = listRequest.next()
    try {
      const page = await api.assetsPage({ bbox: view.bounds(), limit: 100 }, signal)
      if (signal.aborted) return
      listed = page.features
      listCount.textContent = page.more
        ? t('listCountMore', listed.length)
        : t('listCount', listed.length, listed.length)
      listItems.innerHTML = renderPlaceList(listed)
    } catch {
      if (signal.aborted) return
      listCount.textContent = t('offline')
    }
  }

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
    searchRequest.cancel()
    if (!query.trim()) {
      found = []
      searchResults.innerHTML = ''
      return
    }
    searchTimer = setTimeout(() => {
      const signal = searchRequest.next()
      api
        .assetsPage({ q: query.trim(), limit: 8 }, signal)
        .then((page) => {
          if (signal.aborted) return
          found = page.features
          searchResults.innerHTML = renderResults(found, query)
        })
        .catch(() => {
          if (!signal.aborted) searchResults.innerHTML = `<li class="note">${t('offline')}</li>`
        })
    }, 200)
  })

  const openFromList = (list: () => Places) => (e: Event) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-result]')
    const place = button ? list()[Number(button.dataset.result)] : undefined
    if (!place?.id) return
    const [lon, lat] = (place.geometry as { coordinates: [number, number] }).coordinates
    view.flyTo(lon, lat)
    deps.onOpen(String(place.id))
  }
  searchResults.addEventListener(
    'click',
    openFromList(() => found),
  )
  listItems.addEventListener(
    'click',
    openFromList(() => listed),
  )

  // Panning and zooming load the tiles they need: only the list of places in view follows.
  store.subscribe((s, prev) => {
    if (s.camera !== prev.camera) refreshList()
    if (s.filter !== prev.filter) void draw()
  })

  /** The status line: how many places there are. */
  const showCount = () => {
    status.textContent = t('places', formatNumber(placeCount), placeCount === 1)
  }

  return {
    fetch: fetchPlaces,
    draw,
    showCount,
    /** The places changed: fetched and drawn again, with the status line and the list. */
    async reload() {
      await fetchPlaces()
      await draw()
      showCount()
      refreshList()
    },
    refreshList,
    isTiled: () => tiled === true,
  }
}
