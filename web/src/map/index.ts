import { bbox as turfBbox } from '@turf/bbox'
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { centroid } from '@turf/centroid'
import { pointOnFeature } from '@turf/point-on-feature'
import { cellToBoundary } from 'h3-js'
import {
  GeolocateControl,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LayerSpecification,
  type VectorTileSource,
} from 'maplibre-gl'
// MapLibre 6 runs its parsing in a module worker; Vite bundles it and gives its URL.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'
import type { FeatureCollection, TileJson } from '../api-client/index.js'
import { t } from '../i18n/index.js'
import { roundCamera, type Camera } from '../state/view.js'
import { KIND_ICONS, rasterise } from './icons.js'
import { placeLabels } from './label-placement.js'
import {
  ASSET_TILE_SOURCE,
  assetLayers,
  assetTileLayers,
  BASEMAP_STYLE_URL,
  baseStyle,
  COLORS,
  FLEVOLAND_BOUNDS,
  hexPaint,
  reviewLayers,
  scenarioLayers,
  type HexMetric,
} from './layers.js'

type GeoJsonData = Parameters<GeoJSONSource['setData']>[0]

/** One of our own pins on the map (a proposed place, a suggestion): moved or taken away. */
export interface MapPin {
  move(lon: number, lat: number): void
  remove(): void
}

/** Pixels an arrow key moves a draggable pin (Shift: ten times as far). */
const KEY_STEP = 8
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}

/** A cluster's count as a small image (white digits): cluster labels without a glyph server. */
function countImage(text: string, pixelRatio: number) {
  const size = 24 * pixelRatio
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const context = canvas.getContext('2d') as CanvasRenderingContext2D
  context.fillStyle = '#fff'
  context.font = `bold ${12 * pixelRatio}px system-ui, sans-serif`
  context.textAlign = 'center'
  context.textBaseline = 'middle'
  context.fillText(text, size / 2, size / 2 + pixelRatio)
  const { data } = context.getImageData(0, 0, size, size)
  return { width: size, height: size, data }
}

type StyleJson = {
  sources?: Record<string, unknown>
  layers?: { id: string; type: string }[]
  glyphs?: string
  sprite?: string
}

/**
 * Puts the PDOK BRT-Achtergrondkaart beneath our layers when it can be reached. Without it (no
 * internet, PDOK down) the map keeps its plain background with the outlines from the API.
 */
async function addBasemap(map: MapLibreMap, loaded: Promise<void>): Promise<boolean> {
  let style: StyleJson
  try {
    const res = await fetch(BASEMAP_STYLE_URL, { signal: AbortSignal.timeout(5000) })
    if (!res.ok) return false
    style = (await res.json()) as StyleJson
  } catch {
    return false
  }
  await loaded
  try {
    if (style.glyphs) map.setGlyphs(style.glyphs)
    if (style.sprite) map.setSprite(style.sprite)
    for (const [id, source] of Object.entries(style.sources ?? {})) {
      // The basemap's licence asks for its attribution (Kadaster, CC-BY 4.0).
      map.addSource(`pdok-${id}`, {
        attribution: 'Achtergrondkaart: © Kadaster / PDOK',
        ...(source as object),
      } as Parameters<MapLibreMap['addSource']>[1])
    }
    for (const layer of style.layers ?? []) {
      const own = layer as { source?: string; id: string }
      map.addLayer(
        {
          ...(layer as Parameters<MapLibreMap['addLayer']>[0]),
          id: `pdok-${own.id}`,
          ...(own.source ? { source: `pdok-${own.source}` } : {}),
        } as Parameters<MapLibreMap['addLayer']>[0],
        'gemeenten-fill',
      )
    }
    // The basemap shows land and water: the municipalities become outlines only.
    map.setPaintProperty('gemeenten-fill', 'fill-opacity', 0)
    map.setLayoutProperty('background', 'visibility', 'none')
    return true
  } catch {
    return false
  }
}

/** The hexagon metric: a vector tile source, its fill layer and the tiles' layer name. */
const HEX_SOURCE = 'hexes'
const HEX_LAYER = 'hexes-fill'
const CELLS_LAYER = 'cells'

type FillPaint = NonNullable<Extract<LayerSpecification, { type: 'fill' }>['paint']>

/** Area names drawn on the map, per level, and the zooms at which each level is named. */
const LABEL_ZOOMS = {
  gemeente: [0, 11.5],
  wijk: [11, 14],
  buurt: [13.5, 25],
} as const
export type LabelLevel = keyof typeof LABEL_ZOOMS

/** An area's name on the map, and its size on the screen once measured. */
interface AreaLabel {
  readonly marker: Marker
  size?: { readonly width: number; readonly height: number }
}

/** A point inside an area to write its name at: the centroid when it lies inside, else any. */
function labelPoint(feature: FeatureCollection['features'][number]): [number, number] {
  const f = feature as Parameters<typeof centroid>[0]
  const c = centroid(f).geometry.coordinates as [number, number]
  if (booleanPointInPolygon(c, f as Parameters<typeof booleanPointInPolygon>[1])) return c
  return pointOnFeature(f).geometry.coordinates as [number, number]
}

/** What a click on the map (beside the places) reads out. */
export interface MapReading {
  lon: number
  lat: number
  point: { x: number; y: number }
  /** The hexagon under the click, if a layer is drawn. */
  cell: Record<string, unknown> | undefined
  /** The gemeente under the click. */
  gemeente: { code: string; name: string } | undefined
}

/** The only MapLibre code of the app. */
export function createMap(
  container: HTMLElement,
  options: {
    camera?: Camera | undefined
    onBasemap?: (available: boolean) => void
    /** How much of the map the panel covers at the bottom (the bottom sheet on a phone), px. */
    coveredBelow?: () => number
  } = {},
) {
  setWorkerUrl(workerUrl)
  const start = options.camera
  const map = new MapLibreMap({
    container,
    style: baseStyle,
    // The view state keeps the position (and writes it into the URL's hash).
    ...(start
      ? {
          center: [start.lon, start.lat],
          zoom: start.zoom,
          bearing: start.bearing,
          pitch: start.pitch,
        }
      : { bounds: FLEVOLAND_BOUNDS, fitBoundsOptions: { padding: 20 } }),
    // The controls' own texts in the interface language.
    locale: {
      'NavigationControl.ZoomIn': t('zoomIn'),
      'NavigationControl.ZoomOut': t('zoomOut'),
      'GeolocateControl.FindMyLocation': t('findMyLocation'),
      'GeolocateControl.LocationNotAvailable': t('locationUnavailable'),
      'ScaleControl.Meters': 'm',
      'ScaleControl.Kilometers': 'km',
    },
    attributionControl: {
      compact: false,
      // Areas and inhabitants from CBS/Kadaster; places and paths may come from OpenStreetMap (ODbL).
      customAttribution: [
        'CBS / Kadaster',
        '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap-bijdragers</a>',
      ],
    },
  })
  map.addControl(new NavigationControl({ showCompass: false }))
  // "Where am I?": one fix, the map goes there (no following, which would fight the person).
  const geolocate = new GeolocateControl({
    positionOptions: { enableHighAccuracy: true, timeout: 10_000 },
    trackUserLocation: false,
    fitBoundsOptions: { maxZoom: 15 },
  })
  map.addControl(geolocate)
  map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left')
  /** Room to leave around what the map fits or flies to: the bottom sheet is not free map. */
  const padding = (px: number) => ({
    top: px,
    left: px,
    right: px,
    bottom: px + (options.coveredBelow?.() ?? 0),
  })
  /**
   * The names of areas on the map, per level: HTML markers (no glyph server needed), each level
   * most inhabitants first, with the size of its name once it has been shown.
   */
  const labels: Record<LabelLevel, AreaLabel[]> = { gemeente: [], wijk: [], buurt: [] }
  /**
   * Shows the names of the levels that help at this zoom; where names would cover each other,
   * the coarser level and then the area with more inhabitants keeps its name. Panning keeps the
   * names' places relative to each other, so this runs only when the zoom or the names change.
   */
  const showLabelsForZoom = () => {
    const zoom = map.getZoom()
    const candidates: AreaLabel[] = []
    for (const level of Object.keys(labels) as LabelLevel[]) {
      const [from, to] = LABEL_ZOOMS[level]
      // Without buurten (not loaded, or none in view) the wijk names stay as the map zooms in.
      const until = level === 'wijk' && labels.buurt.length === 0 ? Infinity : to
      if (zoom >= from && zoom < until) candidates.push(...labels[level])
      else for (const label of labels[level]) label.marker.getElement().hidden = true
    }
    // Names not measured yet are shown first and then measured together (one layout).
    const unmeasured = candidates.filter((label) => !label.size)
    for (const label of unmeasured) label.marker.getElement().hidden = false
    for (const label of unmeasured) {
      const element = label.marker.getElement()
      // A map not laid out yet (hidden) measures 0: measured again next time.
      if (element.offsetWidth > 0) {
        label.size = { width: element.offsetWidth, height: element.offsetHeight }
      }
    }
    const keep = placeLabels(
      candidates.map((label) => {
        const at = map.project(label.marker.getLngLat())
        return { x: at.x, y: at.y, ...(label.size ?? { width: 0, height: 0 }) }
      }),
    )
    candidates.forEach((label, i) => (label.marker.getElement().hidden = !keep[i]))
  }
  map.on('zoom', showLabelsForZoom)
  /** The gap areas' numbered markers. */
  let gapMarkers: Marker[] = []
  let chosenGap: number | undefined
  const loaded = new Promise<void>((resolve) => map.once('load', () => resolve()))
  // Whether the map has drawn everything asked of it (MapLibre's `idle`: no data on its way, no
  // camera move or fade), as a visible state for whoever drives the page (the browser tests).
  const busy = () => (document.body.dataset.map = 'busy')
  busy()
  map.on('dataloading', busy)
  map.on('movestart', busy)
  map.on('idle', () => (document.body.dataset.map = 'idle'))
  let draft: Marker | undefined
  /** The metric drawn and the tile URL it is drawn from. */
  let hexes: { metric: HexMetric; url: string } | undefined
  let hexesDrawn: ((cells: number) => void) | undefined
  /** The tile URL the places are drawn from (large registers only). */
  let assetTilesUrl: string | undefined
  let countTimer: ReturnType<typeof setTimeout> | undefined
  /**
   * Counts the hexagons in view once all their tiles are in (checked again until they are: a
   * source's last tile does not always say so in an event).
   */
  const countHexes = (delay = 60) => {
    clearTimeout(countTimer)
    countTimer = setTimeout(() => {
      if (!hexes || !hexesDrawn || !map.getLayer(HEX_LAYER)) return
      if (!map.isSourceLoaded(HEX_SOURCE) || map.isMoving()) {
        countHexes(250)
        return
      }
      // A cell crossing a tile edge is in each tile it touches: count it once.
      const seen = new Set<unknown>()
      for (const f of map.queryRenderedFeatures({ layers: [HEX_LAYER] }))
        seen.add(f.properties?.cell)
      hexesDrawn(seen.size)
    }, delay)
  }

  /** Where the map looks, rounded as a permalink writes it. */
  const camera = (): Camera => {
    const center = map.getCenter().wrap()
    return roundCamera({
      zoom: map.getZoom(),
      lat: center.lat,
      lon: center.lng,
      bearing: map.getBearing(),
      pitch: map.getPitch(),
    })
  }

  const pixelRatio = Math.min(2, Math.ceil(window.devicePixelRatio || 1))
  loaded
    .then(async () => {
      // A scenario's difference above the hexagons (added by showHexTiles beneath it), still
      // beneath the outlines and places.
      for (const layer of scenarioLayers) map.addLayer(layer, 'gemeenten-line')
      // Cluster counts up to 100 ahead of time; larger ones on demand (styleimagemissing).
      for (let n = 2; n <= 100; n++) {
        if (!map.hasImage(`count-${n}`)) {
          map.addImage(`count-${n}`, countImage(String(n), pixelRatio), { pixelRatio })
        }
      }
      // Kind icons in two colours: white on a meeting place's green disc, dark on a white one.
      await Promise.all(
        Object.entries(KIND_ICONS).flatMap(([kind, svg]) =>
          (['light', 'dark'] as const).map(async (tone) => {
            const image = await rasterise(
              svg,
              tone === 'light' ? '#fff' : COLORS.outline,
              pixelRatio,
            )
            if (!map.hasImage(`kind-${kind}-${tone}`)) {
              map.addImage(`kind-${kind}-${tone}`, image, { pixelRatio })
            }
          }),
        ),
      )
    })
    .catch(() => {})
  map.on('styleimagemissing', (e: { id: string }) => {
    if (e.id.startsWith('count-') && !map.hasImage(e.id)) {
      map.addImage(e.id, countImage(e.id.slice('count-'.length), pixelRatio), { pixelRatio })
    }
  })
  void addBasemap(map, loaded).then((ok) => options.onBasemap?.(ok))

  return {
    map,
    async showGemeenten(data: FeatureCollection) {
      await loaded
      await (map.getSource('gemeenten') as GeoJSONSource).setData(data as GeoJsonData)
    },
    /** Draws the places; those not in `counted` (when given) are faded: they do not count. */
    async showAssets(data: FeatureCollection, counted?: ReadonlySet<string>) {
      await loaded
      // MapLibre keeps only numeric feature ids: carry the uuid in the properties.
      const withIds = {
        ...data,
        features: data.features.map((f) => ({
          ...f,
          properties: {
            ...f.properties,
            id: f.id,
            counted: counted ? counted.has(String(f.id)) : true,
          },
        })),
      }
      await (map.getSource('assets') as GeoJSONSource).setData(withIds as GeoJsonData)
      for (const layer of assetLayers) if (!map.getLayer(layer.id)) map.addLayer(layer)
    },
    /**
     * The places of a large register from vector tiles (the `assets` layer of a TileJSON):
     * server clusters up to z12, points beyond. New tile URLs (a new data version after an edit)
     * reload the tiles in place; `counted` (ids, or every place when not given) and the day
     * before which a place is possibly outdated restyle the layers where they are.
     */
    async showAssetTiles(
      tileJson: TileJson,
      counted: readonly string[] | undefined,
      outdatedBefore: string,
    ) {
      await loaded
      const source = map.getSource<VectorTileSource>(ASSET_TILE_SOURCE)
      if (!source) {
        // No bounds: a place may lie outside the region's box, as on the GeoJSON map.
        map.addSource(ASSET_TILE_SOURCE, {
          type: 'vector',
          tiles: tileJson.tiles,
          minzoom: tileJson.minzoom,
          maxzoom: tileJson.maxzoom,
        })
      } else if (assetTilesUrl !== tileJson.tiles[0]) {
        source.setTiles(tileJson.tiles)
      }
      assetTilesUrl = tileJson.tiles[0]
      for (const layer of assetTileLayers(counted, outdatedBefore)) {
        if (!map.getLayer(layer.id)) {
          map.addLayer(layer)
          continue
        }
        type Paint = Parameters<MapLibreMap['setPaintProperty']>
        const paint = (layer as { paint?: Record<string, unknown> }).paint ?? {}
        for (const [name, value] of Object.entries(paint)) {
          map.setPaintProperty(layer.id, name as Paint[1], value as Paint[2])
        }
        if ('filter' in layer) map.setFilter(layer.id, layer.filter)
      }
    },
    /**
     * The hexagon metric from vector tiles (the `cells` layer of a TileJSON), or none. New tile
     * URLs for the same metric (another filter, threshold, mode or data version) reload the
     * tiles in place; another metric starts a new source, so no tile of the old metric is ever
     * drawn with the new colours. Panning and zooming fetch tiles by themselves.
     */
    async showHexTiles(tileJson: TileJson | undefined, metric: HexMetric) {
      await loaded
      const url = tileJson?.tiles[0]
      if (url !== undefined && hexes?.metric === metric) {
        if (hexes.url !== url) {
          ;(map.getSource(HEX_SOURCE) as VectorTileSource).setTiles(tileJson?.tiles ?? [])
          hexes = { metric, url }
        }
        countHexes()
        return
      }
      if (map.getLayer(HEX_LAYER)) map.removeLayer(HEX_LAYER)
      if (map.getSource(HEX_SOURCE)) map.removeSource(HEX_SOURCE)
      hexes = undefined
      if (!tileJson || url === undefined) return
      map.addSource(HEX_SOURCE, {
        type: 'vector',
        tiles: tileJson.tiles,
        minzoom: tileJson.minzoom,
        // Past its maxzoom the map enlarges the last tiles (cells are at their finest there).
        maxzoom: tileJson.maxzoom,
        bounds: tileJson.bounds,
      })
      // Beneath the scenario's difference, the outlines and the places; above the background.
      map.addLayer(
        {
          id: HEX_LAYER,
          type: 'fill',
          source: HEX_SOURCE,
          'source-layer': CELLS_LAYER,
          paint: hexPaint(metric) as FillPaint,
        },
        map.getLayer('scenario-fill') ? 'scenario-fill' : 'gemeenten-line',
      )
      hexes = { metric, url }
      countHexes()
    },
    /**
     * Hears when the hexagons on screen are drawn (all their tiles loaded, after every change
     * and move):
     * how many distinct cells are in view. A tile that fails to load is reported as an error.
     */
    onHexesDrawn(handlers: { drawn: (cells: number) => void; failed: () => void }) {
      hexesDrawn = handlers.drawn
      // When the source's tiles have loaded, and after every move.
      map.on('sourcedata', (e) => {
        if (e.sourceId === HEX_SOURCE) countHexes()
      })
      map.on('moveend', () => countHexes())
      map.on('error', (e) => {
        // A tile's error names its source.
        if ((e as { sourceId?: string }).sourceId === HEX_SOURCE) handlers.failed()
        // Listening takes MapLibre's own logging away: keep it for every other error.
        else console.error(e.error)
      })
    },
    /** Outlines one area strongly (or none) and, when asked, fits the view to it. */
    async showSelected(feature: FeatureCollection['features'][number] | undefined, fit: boolean) {
      await loaded
      await (map.getSource('selected') as GeoJSONSource).setData({
        type: 'FeatureCollection',
        features: feature ? [feature] : [],
      } as GeoJsonData)
      if (feature && fit) {
        const [w, s, e, n] = turfBbox(feature as Parameters<typeof turfBbox>[0])
        map.fitBounds([w, s, e, n], { padding: padding(30) })
      }
    },
    /**
     * Shows a proposal on the map: the place as it is now (grey) and as proposed (highlighted),
     * and fits both into view. Nothing given clears it.
     */
    showReview(before: [number, number] | undefined, after: [number, number] | undefined) {
      void loaded.then(async () => {
        const points = [before, after].filter((p): p is [number, number] => p !== undefined)
        const moved = before && after && (before[0] !== after[0] || before[1] !== after[1])
        await (map.getSource('review') as GeoJSONSource).setData({
          type: 'FeatureCollection',
          features: [
            ...(moved
              ? [
                  {
                    type: 'Feature' as const,
                    properties: {},
                    geometry: { type: 'LineString' as const, coordinates: [before, after] },
                  },
                ]
              : []),
            ...(before
              ? [
                  {
                    type: 'Feature' as const,
                    properties: { side: 'before' },
                    geometry: { type: 'Point' as const, coordinates: before },
                  },
                ]
              : []),
            ...(after
              ? [
                  {
                    type: 'Feature' as const,
                    properties: { side: 'after' },
                    geometry: { type: 'Point' as const, coordinates: after },
                  },
                ]
              : []),
          ],
        })
        // Always on top, also above the place layers that are added later.
        for (const layer of reviewLayers) {
          if (!map.getLayer(layer.id)) map.addLayer(layer)
          else map.moveLayer(layer.id)
        }
        if (points.length === 0) return
        const lons = points.map((p) => p[0])
        const lats = points.map((p) => p[1])
        map.fitBounds(
          [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
          { padding: padding(80), maxZoom: 16, duration: 600 },
        )
      })
    },
    /** A draggable marker for a new place (or none); `moved` hears where it was dropped. */
    setDraft(position: [number, number] | undefined, moved: (lon: number, lat: number) => void) {
      draft?.remove()
      draft = undefined
      if (!position) return
      draft = new Marker({ draggable: true, color: '#0b6e4f', className: 'draft-pin' })
        .setLngLat(position)
        .addTo(map)
      draft.on('dragend', () => {
        const p = draft?.getLngLat()
        if (p) moved(p.lng, p.lat)
      })
    },
    /**
     * The difference layer of a scenario: the cells that come within reach (and those that lose
     * it), drawn as H3 hexagons. Resolves with the number of cells drawn.
     */
    async showScenarioCells(
      cells: readonly { cell: string; gained: boolean; lost: boolean }[],
    ): Promise<number> {
      await loaded
      const changed = cells.filter((c) => c.gained || c.lost)
      await (map.getSource('scenario') as GeoJSONSource).setData({
        type: 'FeatureCollection',
        features: changed.map((c) => ({
          type: 'Feature',
          properties: { cell: c.cell, gained: c.gained, lost: c.lost },
          geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.cell, true)] },
        })),
      })
      return changed.length
    },
    /**
     * Puts an element of the page on the map as a pin. A draggable pin tells where it is while
     * it is dragged (`onDrag`) and where it was dropped (`onDragEnd`); focused, the arrow keys
     * move it too (Shift: further), for people without a mouse.
     */
    pin(
      position: [number, number],
      element: HTMLElement,
      options: {
        draggable?: boolean
        onDrag?: (lon: number, lat: number) => void
        onDragEnd?: (lon: number, lat: number) => void
      } = {},
    ): MapPin {
      const marker = new Marker({ element, draggable: options.draggable ?? false })
        .setLngLat(position)
        .addTo(map)
      const where = (): [number, number] => {
        const p = marker.getLngLat()
        return [p.lng, p.lat]
      }
      marker.on('drag', () => options.onDrag?.(...where()))
      marker.on('dragend', () => options.onDragEnd?.(...where()))
      if (options.draggable) {
        element.addEventListener('keydown', (e) => {
          const step = ARROWS[e.key]
          if (!step || e.altKey || e.ctrlKey || e.metaKey) return
          e.preventDefault()
          const by = KEY_STEP * (e.shiftKey ? 10 : 1)
          const at = map.project(marker.getLngLat())
          marker.setLngLat(map.unproject([at.x + step[0] * by, at.y + step[1] * by]))
          options.onDrag?.(...where())
        })
        element.addEventListener('keyup', (e) => {
          if (ARROWS[e.key]) options.onDragEnd?.(...where())
        })
      }
      return {
        move: (lon, lat) => void marker.setLngLat([lon, lat]),
        remove: () => void marker.remove(),
      }
    },
    /** Brings points into view (not closer than a street). */
    fit(points: readonly [number, number][]) {
      if (points.length === 0) return
      const lons = points.map((p) => p[0])
      const lats = points.map((p) => p[1])
      map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {
        padding: padding(80),
        maxZoom: 14,
        duration: 600,
      })
    },
    flyTo(lon: number, lat: number, zoom = 13) {
      map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), zoom), padding: padding(20) })
    },
    /** The middle of the part of the map that can be seen (above the bottom sheet). */
    center(): [number, number] {
      const canvas = map.getContainer()
      const below = options.coveredBelow?.() ?? 0
      const p = map.unproject([canvas.clientWidth / 2, (canvas.clientHeight - below) / 2])
      return [p.lng, p.lat]
    },
    /** Asks the device where it is and goes there (the map's "locate me" button). */
    locate: () => geolocate.trigger(),
    /** Hears where the device is once "locate me" found it. */
    onLocated(handler: (lon: number, lat: number) => void) {
      geolocate.on('geolocate', (e) => handler(e.coords.longitude, e.coords.latitude))
    },
    /** Names the areas of one level on the map (replacing that level's names); wijken outlined. */
    async showLabels(level: LabelLevel, data: FeatureCollection) {
      await loaded
      if (level === 'wijk') {
        await (map.getSource('wijken') as GeoJSONSource).setData(data as GeoJsonData)
      }
      for (const label of labels[level]) label.marker.remove()
      const inhabitants = (f: FeatureCollection['features'][number]) =>
        typeof f.properties.inhabitants === 'number' ? f.properties.inhabitants : 0
      labels[level] = [...data.features]
        .sort((a, b) => inhabitants(b) - inhabitants(a))
        .map((f) => {
          const element = document.createElement('div')
          element.className = `area-label area-label-${level}`
          element.setAttribute('aria-hidden', 'true')
          element.textContent = typeof f.properties.name === 'string' ? f.properties.name : ''
          return { marker: new Marker({ element }).setLngLat(labelPoint(f)).addTo(map) }
        })
      showLabelsForZoom()
    },
    /**
     * The gap areas of the chosen area as numbered markers (none given: none shown); a click on
     * one is the same as a click on its line in the list.
     */
    showGapMarkers(
      gaps: readonly { point: [number, number]; label: string }[],
      onChoose: (index: number) => void,
    ) {
      for (const m of gapMarkers) m.remove()
      gapMarkers = gaps.map((g, i) => {
        const element = document.createElement('button')
        element.type = 'button'
        element.className = 'gap-pin'
        element.textContent = String(i + 1)
        element.setAttribute('aria-label', t('gapMarker', i + 1, g.label))
        element.addEventListener('click', (e) => {
          e.stopPropagation()
          onChoose(i)
        })
        return new Marker({ element }).setLngLat(g.point).addTo(map)
      })
    },
    /** Outlines one gap area (or none) and brings it into view. */
    async showGap(outline: unknown, point: [number, number] | undefined) {
      await loaded
      await (map.getSource('gap') as GeoJSONSource).setData({
        type: 'FeatureCollection',
        features: outline ? [{ type: 'Feature', properties: {}, geometry: outline }] : [],
      } as GeoJsonData)
      gapMarkers.forEach((m, i) => m.getElement().classList.toggle('chosen', i === chosenGap))
      // The gap's point in the middle (as a tap on its marker would), its outline around it.
      if (point) {
        map.flyTo({ center: point, zoom: Math.max(map.getZoom(), 13), padding: padding(20) })
      }
    },
    /** Marks which numbered gap marker is the chosen one. */
    chooseGap(index: number | undefined) {
      chosenGap = index
    },
    /**
     * Clicks: a place opens it, a cluster zooms in, anywhere else reads what is there (the
     * cell, the gemeente): reading is not choosing.
     */
    onClick(handlers: {
      place: (id: string) => void
      read: (reading: MapReading) => void
      /** While a new place is being added, a click picks its position instead. */
      pick?: () => ((lon: number, lat: number) => void) | undefined
      /** In a what-if scenario, a click beside the places proposes a new one there. */
      propose?: () => ((lon: number, lat: number) => void) | undefined
    }) {
      map.on('click', (e) => {
        // A click on one of our pins is the pin's own (it has its handlers).
        const target = e.originalEvent.target
        if (target instanceof Element && target.closest('.maplibregl-marker')) return
        const picking = handlers.pick?.()
        if (picking) {
          picking(e.lngLat.lng, e.lngLat.lat)
          return
        }
        const layers = ['asset-points', 'asset-icons', 'asset-clusters'].filter((id) =>
          map.getLayer(id),
        )
        const asset =
          layers.length > 0 ? map.queryRenderedFeatures(e.point, { layers })[0] : undefined
        if (asset?.properties?.cluster && asset.source === ASSET_TILE_SOURCE) {
          // A server cluster: two levels closer, centred on it.
          const at =
            asset.geometry.type === 'Point'
              ? (asset.geometry.coordinates as [number, number])
              : ([e.lngLat.lng, e.lngLat.lat] as [number, number])
          map.easeTo({ center: at, zoom: Math.min(map.getZoom() + 2, map.getMaxZoom()) })
          return
        }
        if (asset?.properties?.cluster) {
          const source = map.getSource('assets') as GeoJSONSource
          void source
            .getClusterExpansionZoom(asset.properties.cluster_id as number)
            .then((zoom) => {
              map.easeTo({ center: e.lngLat, zoom })
            })
          return
        }
        if (asset?.properties?.id) {
          handlers.place(String(asset.properties.id))
          return
        }
        const proposing = handlers.propose?.()
        if (proposing) {
          proposing(e.lngLat.lng, e.lngLat.lat)
          return
        }
        const area = map.queryRenderedFeatures(e.point, { layers: ['gemeenten-fill'] })[0]
        const code = area?.properties?.code as string | undefined
        const cell = map.getLayer(HEX_LAYER)
          ? map.queryRenderedFeatures(e.point, { layers: [HEX_LAYER] })[0]?.properties
          : undefined
        handlers.read({
          lon: e.lngLat.lng,
          lat: e.lngLat.lat,
          point: { x: e.point.x, y: e.point.y },
          cell,
          gemeente: code ? { code, name: String(area?.properties?.name ?? code) } : undefined,
        })
      })
      for (const layer of ['asset-points', 'asset-clusters']) {
        map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
        map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
      }
    },
    /** The visible box, [west, south, east, north]. */
    bounds(): [number, number, number, number] {
      const b = map.getBounds()
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
    },
    onHexHover(
      handler: (
        properties: Record<string, unknown> | undefined,
        point: { x: number; y: number },
      ) => void,
    ) {
      map.on('mousemove', (e) => {
        const hit = map.getLayer('hexes-fill')
          ? map.queryRenderedFeatures(e.point, { layers: ['hexes-fill'] })[0]
          : undefined
        handler(hit?.properties, e.point)
      })
      map.on('mouseout', () => handler(undefined, { x: 0, y: 0 }))
    },
    camera,
    /** After every pan, zoom or turn: where the map looks now. */
    onCameraChange(handler: (camera: Camera) => void) {
      map.on('moveend', () => handler(camera()))
    },
    jumpTo(camera: Camera) {
      map.jumpTo({
        center: [camera.lon, camera.lat],
        zoom: camera.zoom,
        bearing: camera.bearing,
        pitch: camera.pitch,
      })
    },
  }
}
