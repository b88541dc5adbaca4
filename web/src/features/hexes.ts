import { api, ApiError } from '../api-client/index.js'
import { formatNumber } from '../i18n/format.js'
import { t } from '../i18n/index.js'
import { describeCell, legendFor } from '../map/layers.js'
import type { createMap } from '../map/index.js'
import { latest, type Store } from '../state/store.js'
import { filterQuery, type ViewState } from '../state/view.js'
import { byId } from '../ui/dom.js'
import { legendItem } from '../ui/page.js'
import { loading, retryButton } from '../ui/progress.js'

/**
 * The hexagon layer from vector tiles: one TileJSON request per choice of layer, mode,
 * threshold, size and filter (and after an edit, for the new data version); panning and
 * zooming only load tiles. The legend, the status line and the read-out on hover follow.
 */
export function createHexLayer(deps: {
  store: Store<ViewState>
  view: ReturnType<typeof createMap>
}) {
  const { store, view } = deps
  const hexLegend = byId<HTMLElement>('hex-legend')
  const layerStatus = byId<HTMLElement>('layer-status')
  const readout = byId<HTMLElement>('readout')
  const request = latest()

  /** What the hexagon layer on screen shows: its metric and tile URL ('' for none). */
  let hexKey = ''
  /** A TileJSON is being asked for: what the map draws meanwhile is the old layer. */
  let hexPending = false
  /** A tile of the layer failed to load (until the layer changes). */
  let hexFailed = false
  /** The status line's second half: how many places the layer counts (none for density). */
  let countedText = ''

  function renderLegend(s: ViewState) {
    if (s.layer === 'none') {
      hexLegend.innerHTML = ''
      return
    }
    const legend = legendFor(s.layer, s.threshold, s.mode)
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

  async function refresh() {
    const s = store.get()
    const metric = s.layer
    renderLegend(s)
    const signal = request.next()
    hexPending = false
    if (metric === 'none') {
      hexKey = ''
      loading('layer', false)
      await view.showHexTiles(undefined, 'population')
      layerStatus.textContent = ''
      delete document.body.dataset.layer
      return
    }
    hexPending = true
    const filter = filterQuery(s.filter)
    const query: Record<string, string> = {
      metric,
      mode: s.mode,
      threshold: String(s.threshold),
      ...(s.res === 'auto' ? {} : { res: String(s.res) }),
      ...filter,
    }
    layerStatus.textContent = t('layerLoading')
    loading('layer', true)
    try {
      const [tileJson, counted] = await Promise.all([
        api.tileJson('cells', query, signal),
        // Density counts every place in a cell; the other layers count the filter's places.
        metric === 'density' ? undefined : api.counted(filter, signal),
      ])
      if (signal.aborted) return
      countedText = counted === undefined ? '' : `, ${t('countedPlaces', counted.count)}`
      const key = `${metric}|${tileJson.tiles[0] ?? ''}`
      const same = key === hexKey
      hexKey = key
      if (!same) hexFailed = false
      await view.showHexTiles(tileJson, metric)
      if (signal.aborted) return
      // The map counts the cells in view once their tiles are in (see drawn below).
      hexPending = false
    } catch (e) {
      if (signal.aborted) return
      hexPending = false
      hexKey = ''
      loading('layer', false)
      await view.showHexTiles(undefined, metric)
      failed(e instanceof ApiError && e.status < 500 ? e.message : t('layerFailed'))
      delete document.body.dataset.layer
    }
  }

  /** The layer could not load: says so, with a button that asks again. */
  function failed(message: string) {
    layerStatus.replaceChildren(
      document.createTextNode(`${message} `),
      retryButton('layer-retry', () => void retry()),
    )
    document.body.dataset.layerFailed = 'true'
  }

  /** Asks again from scratch: a new source, so tiles that failed are fetched anew. */
  async function retry() {
    hexKey = ''
    hexFailed = false
    layerStatus.textContent = t('layerLoading')
    await view.showHexTiles(undefined, 'population')
    await refresh()
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  const refreshSoon = () => {
    clearTimeout(timer)
    timer = setTimeout(() => void refresh(), 150)
  }

  view.onHexesDrawn({
    // The tiles in view are drawn: say how many cells there are, and what the layer counts.
    drawn: (cells) => {
      if (!hexKey || hexPending) return
      loading('layer', false)
      if (hexFailed) failed(t('layerFailed'))
      else {
        layerStatus.textContent = t('cells', formatNumber(cells)) + countedText
        delete document.body.dataset.layerFailed
      }
      document.body.dataset.layer = hexKey.split('|')[0]
    },
    failed: () => {
      if (!hexKey || hexPending) return
      hexFailed = true
      loading('layer', false)
      failed(t('layerFailed'))
    },
  })
  // A touch screen has no hover: a tap is read out by the reading card instead.
  const touch = window.matchMedia('(hover: none)')
  view.onHexHover((properties, point) => {
    const { layer, mode } = store.get()
    if (!properties || layer === 'none' || touch.matches) {
      readout.hidden = true
      return
    }
    readout.textContent = describeCell(layer, properties, mode)
    readout.hidden = false
    // Keep it on screen: flip to the left of the pointer near the right edge.
    const room = view.map.getContainer().clientWidth - point.x
    readout.style.left = `${Math.max(4, room < readout.offsetWidth + 30 ? point.x - readout.offsetWidth - 14 : point.x + 14)}px`
    readout.style.top = `${point.y + 14}px`
  })

  return {
    /** Draws the layer of the state now, then follows every change of what it shows. */
    async start() {
      store.subscribe((s, prev) => {
        if (
          s.layer !== prev.layer ||
          s.threshold !== prev.threshold ||
          s.mode !== prev.mode ||
          s.res !== prev.res ||
          s.filter !== prev.filter
        )
          refreshSoon()
      })
      await refresh()
    },
    /** The places changed (a new data version): a new TileJSON a moment later. */
    refreshSoon,
  }
}
