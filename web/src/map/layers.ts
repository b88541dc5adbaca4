import { formatDecimal, formatDistance, formatNumber, formatPeople } from '../i18n/format.js'
import { t } from '../i18n/index.js'
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl'

/** Flevoland's land extent, [west, south, east, north]. */
export const FLEVOLAND_BOUNDS: [number, number, number, number] = [5.13, 52.27, 5.93, 52.87]

export const COLORS = {
  meetingPlace: '#0b6e4f',
  other: '#ffffff',
  outline: '#5b6475',
  /** Status rings: planned places blue, closed places grey (and faded). */
  planned: '#1d4ed8',
  closed: '#6b7280',
  /** The legend's swatch for places the filter does not count (drawn faded). */
  faded: '#b6d3c9',
  /** The small mark of a place not checked recently ("mogelijk verouderd"). */
  outdated: '#f08c00',
  /** A proposal under review: the place as it is now (grey) and as proposed (purple). */
  reviewBefore: '#6b7280',
  reviewAfter: '#9333ea',
}

/** The PDOK BRT-Achtergrondkaart (Kadaster), a MapLibre style (DOMAIN.md). */
export const BASEMAP_STYLE_URL =
  'https://api.pdok.nl/kadaster/brt-achtergrondkaart/ogc/v1/styles/standaard__webmercatorquad?f=json'

/**
 * The base style: a plain background that needs no network (no tiles, no glyphs), so the map
 * works offline. Sources are filled from the API after load.
 */
export const baseStyle: StyleSpecification = {
  version: 8,
  sources: {
    gemeenten: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    selected: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    gap: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    wijken: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    review: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    scenario: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    assets: {
      type: 'geojson',
      data: { type: 'FeatureCollection', features: [] },
      cluster: true,
      clusterRadius: 40,
      clusterMaxZoom: 12,
    },
  },
  layers: [
    { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } },
    { id: 'gemeenten-fill', type: 'fill', source: 'gemeenten', paint: { 'fill-color': '#fbfcfd' } },
    // Wijk outlines: thin and quiet, from the town's zoom on.
    {
      id: 'wijken-line',
      type: 'line',
      source: 'wijken',
      minzoom: 10.5,
      paint: { 'line-color': '#8b93a3', 'line-width': 0.7, 'line-dasharray': [3, 2] },
    },
    {
      id: 'gemeenten-line',
      type: 'line',
      source: 'gemeenten',
      paint: { 'line-color': COLORS.outline, 'line-width': 1 },
    },
    {
      id: 'selected-line',
      type: 'line',
      source: 'selected',
      paint: { 'line-color': '#111827', 'line-width': 3 },
    },
    // The gap area chosen in the gap list: outlined in the gap colour, over a white halo.
    {
      id: 'gap-halo',
      type: 'line',
      source: 'gap',
      paint: { 'line-color': '#ffffff', 'line-width': 6 },
    },
    {
      id: 'gap-line',
      type: 'line',
      source: 'gap',
      paint: { 'line-color': '#a50f15', 'line-width': 3, 'line-dasharray': [2, 1] },
    },
  ],
}

/** Asset layers, described as data: clusters with counts at low zoom, kind icons closer in. */
export const assetLayers: LayerSpecification[] = [
  {
    id: 'asset-clusters',
    type: 'circle',
    source: 'assets',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': COLORS.meetingPlace,
      'circle-opacity': 0.8,
      'circle-radius': ['step', ['get', 'point_count'], 12, 10, 15, 50, 19],
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 2,
    },
  },
  {
    // The count as an image drawn in the browser (see `count-…` in map/index.ts): no glyphs.
    id: 'asset-cluster-counts',
    type: 'symbol',
    source: 'assets',
    filter: ['has', 'point_count'],
    layout: {
      'icon-image': ['concat', 'count-', ['get', 'point_count_abbreviated']],
      'icon-allow-overlap': true,
    },
  },
  {
    id: 'asset-points',
    type: 'circle',
    source: 'assets',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-radius': 10,
      'circle-color': ['case', ['get', 'is_meeting_place'], COLORS.meetingPlace, COLORS.other],
      // Places the filter does not count are faded; closed ones a little more.
      'circle-opacity': [
        'case',
        ['!', ['get', 'counted']],
        0.3,
        ['==', ['get', 'status'], 'closed'],
        0.55,
        1,
      ],
      'circle-stroke-opacity': ['case', ['get', 'counted'], 1, 0.4],
      'circle-stroke-color': [
        'match',
        ['get', 'status'],
        'planned',
        COLORS.planned,
        'closed',
        COLORS.closed,
        COLORS.meetingPlace,
      ],
      'circle-stroke-width': ['match', ['get', 'status'], 'active', 2, 3.5],
    },
  },
  {
    id: 'asset-icons',
    type: 'symbol',
    source: 'assets',
    filter: ['!', ['has', 'point_count']],
    layout: {
      'icon-image': [
        'concat',
        'kind-',
        ['get', 'kind'],
        ['case', ['get', 'is_meeting_place'], '-light', '-dark'],
      ],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
    paint: {
      'icon-opacity': [
        'case',
        ['!', ['get', 'counted']],
        0.35,
        ['==', ['get', 'status'], 'closed'],
        0.6,
        1,
      ],
    },
  },
  {
    // Not checked for longer than the setting allows: a small orange dot at the upper right.
    id: 'asset-outdated',
    type: 'circle',
    source: 'assets',
    filter: ['all', ['!', ['has', 'point_count']], ['==', ['get', 'possibly_outdated'], true]],
    paint: {
      'circle-radius': 4,
      'circle-color': COLORS.outdated,
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 1.5,
      'circle-translate': [8, -8],
      'circle-opacity': ['case', ['get', 'counted'], 1, 0.4],
      'circle-stroke-opacity': ['case', ['get', 'counted'], 1, 0.4],
    },
  },
]

/** The vector tile source of the places of a large register, and the tiles' layer name. */
export const ASSET_TILE_SOURCE = 'asset-tiles'
export const ASSET_TILE_LAYER = 'assets'

/** A style value with every `['get', name]` of `swaps` replaced by its expression. */
function substitute(value: unknown, swaps: Readonly<Record<string, unknown>>): unknown {
  if (Array.isArray(value)) {
    const [op, name] = value as unknown[]
    if (value.length === 2 && op === 'get' && typeof name === 'string' && name in swaps)
      return swaps[name]
    return value.map((v) => substitute(v, swaps))
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, swaps)]))
  }
  return value
}

/**
 * The place layers of a large register, drawn from the `assets` vector tiles: the same ids,
 * looks and filters as `assetLayers` (server clusters carry `point_count` as MapLibre's own
 * do). What the GeoJSON features carry is computed from the tile's properties instead:
 * `counted` from the ids the filter counts (every place when there is no filter) and
 * `possibly_outdated` from the day last checked (`checked`, YYYY-MM-DD, before `outdatedBefore`).
 */
export function assetTileLayers(
  counted: readonly string[] | undefined,
  outdatedBefore: string,
): LayerSpecification[] {
  const swaps = {
    // A match of many labels is a lookup table in MapLibre (not a scan per feature).
    counted: !counted
      ? true
      : counted.length === 0
        ? false
        : ['match', ['get', 'id'], counted, true, false],
    possibly_outdated: [
      '<',
      ['to-string', ['coalesce', ['get', 'checked'], outdatedBefore]],
      outdatedBefore,
    ],
  }
  return assetLayers.map(
    (layer) =>
      ({
        ...(substitute(layer, swaps) as object),
        source: ASSET_TILE_SOURCE,
        'source-layer': ASSET_TILE_LAYER,
      }) as LayerSpecification,
  )
}

/**
 * A proposal under review, above everything: where the place is now (grey), where it would be
 * (purple, larger, with a halo) and a dashed line between when it moves.
 */
export const reviewLayers: LayerSpecification[] = [
  {
    id: 'review-line',
    type: 'line',
    source: 'review',
    filter: ['==', ['geometry-type'], 'LineString'],
    paint: { 'line-color': COLORS.reviewAfter, 'line-width': 2, 'line-dasharray': [2, 2] },
  },
  {
    id: 'review-before',
    type: 'circle',
    source: 'review',
    filter: ['==', ['get', 'side'], 'before'],
    paint: {
      'circle-radius': 9,
      'circle-color': COLORS.reviewBefore,
      'circle-opacity': 0.85,
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 2,
    },
  },
  {
    id: 'review-after',
    type: 'circle',
    source: 'review',
    filter: ['==', ['get', 'side'], 'after'],
    paint: {
      'circle-radius': 11,
      'circle-color': COLORS.reviewAfter,
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 3,
    },
  },
]

/**
 * What-if scenarios: the proposed place is a purple diamond (as in the printed report); cells
 * that come within reach are magenta, a colour no other layer uses (viridis, the gap red and the
 * population and density ramps have none), with a darker edge; cells that lose their place
 * (when one closes) dark grey.
 */
export const SCENARIO_COLORS = {
  proposed: '#7c3aed',
  gained: '#e7298a',
  gainedEdge: '#7a0177',
  lost: '#4b5563',
} as const

/** The difference layer of a scenario, above the hexagons and beneath outlines and places. */
export const scenarioLayers: LayerSpecification[] = [
  {
    id: 'scenario-fill',
    type: 'fill',
    source: 'scenario',
    paint: {
      'fill-color': ['case', ['get', 'lost'], SCENARIO_COLORS.lost, SCENARIO_COLORS.gained],
      'fill-opacity': 0.62,
    },
  },
  {
    id: 'scenario-line',
    type: 'line',
    source: 'scenario',
    paint: {
      'line-color': ['case', ['get', 'lost'], '#1f2937', SCENARIO_COLORS.gainedEdge],
      'line-width': 1.2,
    },
  },
]

export type HexMetric = 'population' | 'density' | 'distance' | 'gap' | 'detour'

/** How a distance was measured, in the words of the legend. */
export function modeWords(mode: string): string {
  return mode === 'walk' ? t('modeWalk') : mode === 'bike' ? t('modeBike') : t('modeLine')
}

/** Distance bands (m): the edges people think in (UX.md), viridis from near (light) to far (dark). */
export const DISTANCE_BANDS = [
  { upTo: 400, color: '#fde725' },
  { upTo: 800, color: '#5ec962' },
  { upTo: 1600, color: '#21918c' },
  { upTo: 3200, color: '#3b528b' },
  { upTo: Infinity, color: '#440154' },
] as const

const POPULATION_STEPS = [
  { from: 1, color: '#ffe9a8' },
  { from: 25, color: '#e4c86a' },
  { from: 100, color: '#a39b6f' },
  { from: 400, color: '#5a6a83' },
  { from: 1500, color: '#1f3a68' },
] as const

const DENSITY_STEPS = [
  { from: 1, color: '#c6dbef' },
  { from: 2, color: '#6baed6' },
  { from: 5, color: '#2171b5' },
  { from: 10, color: '#08306b' },
] as const

export const GAP_COLOR = '#d7301f'

/** Detour factor classes (network ÷ straight line): sequential, colour-blind safe (YlOrBr). */
export const DETOUR_STEPS = [
  { from: 1, color: '#fff7bc' },
  { from: 1.25, color: '#fec44f' },
  { from: 1.5, color: '#ec7014' },
  { from: 2, color: '#cc4c02' },
  { from: 3, color: '#662506' },
] as const

/** Cells with no value (unreachable, or a place next door): neutral grey. */
export const NO_VALUE_COLOR = '#9e9e9e'

const stepExpression = (property: string, steps: readonly { from: number; color: string }[]) => [
  'step',
  ['coalesce', ['get', property], 0],
  steps[0]?.color,
  ...steps.slice(1).flatMap((s) => [s.from, s.color]),
]

/** Fill paint per metric, as data. */
export function hexPaint(metric: HexMetric): Record<string, unknown> {
  switch (metric) {
    case 'distance':
      return {
        'fill-color': [
          'case',
          ['==', ['get', 'distanceM'], null],
          DISTANCE_BANDS[4].color,
          [
            'step',
            ['get', 'distanceM'],
            DISTANCE_BANDS[0].color,
            400,
            DISTANCE_BANDS[1].color,
            800,
            DISTANCE_BANDS[2].color,
            1600,
            DISTANCE_BANDS[3].color,
            3200,
            DISTANCE_BANDS[4].color,
          ],
        ],
        'fill-opacity': 0.72,
      }
    case 'gap':
      // One strong colour; opacity by inhabitants so empty polders do not shout.
      return {
        'fill-color': GAP_COLOR,
        'fill-opacity': [
          'interpolate',
          ['linear'],
          ['get', 'inhabitants'],
          1,
          0.2,
          50,
          0.5,
          300,
          0.85,
        ],
      }
    case 'population':
      return { 'fill-color': stepExpression('inhabitants', POPULATION_STEPS), 'fill-opacity': 0.7 }
    case 'density':
      return { 'fill-color': stepExpression('total', DENSITY_STEPS), 'fill-opacity': 0.75 }
    case 'detour':
      return {
        'fill-color': [
          'case',
          ['==', ['get', 'detour'], null],
          NO_VALUE_COLOR,
          stepExpression('detour', DETOUR_STEPS),
        ],
        'fill-opacity': ['case', ['==', ['get', 'detour'], null], 0.35, 0.75],
      }
  }
}

export interface LegendItem {
  readonly color: string
  readonly label: string
  readonly opacity?: number
}

/** The legend of a metric, in real units, with the threshold marked. */
export function legendFor(
  metric: HexMetric,
  thresholdM: number,
  mode = 'line',
): { title: string; items: LegendItem[]; note: string } {
  const how = modeWords(mode)
  const network = mode === 'line' ? '' : t('noteNetwork')
  switch (metric) {
    case 'detour':
      return {
        title: t('legendDetour', mode === 'line' ? t('overTheRoad') : how),
        items: [
          ...DETOUR_STEPS.map((s, i) => {
            const next = DETOUR_STEPS[i + 1]
            const f = (v: number) => `${formatDecimal(v)}×`
            return {
              color: s.color,
              label: next ? `${f(s.from)} – ${f(next.from)}` : t('legendOrMore', f(s.from)),
            }
          }),
          { color: NO_VALUE_COLOR, opacity: 0.35, label: t('legendNoValue') },
        ],
        note: t('noteDetour') + network,
      }
    case 'distance':
      return {
        title: t('legendDistance', how),
        items: DISTANCE_BANDS.map((b, i) => {
          const from = i === 0 ? 0 : (DISTANCE_BANDS[i - 1]?.upTo as number)
          const label = Number.isFinite(b.upTo)
            ? `${formatDistance(from)} – ${formatDistance(b.upTo)}`
            : t('legendMoreThan', formatDistance(from))
          const marked = b.upTo === thresholdM ? ` ${t('legendBoundary')}` : ''
          return { color: b.color, label: label + marked }
        }),
        note: t('noteDistance') + network,
      }
    case 'gap':
      return {
        title: t('legendGap', formatDistance(thresholdM), how),
        items: [
          { color: GAP_COLOR, opacity: 0.25, label: t('legendFewPeople') },
          { color: GAP_COLOR, opacity: 0.85, label: t('legendManyPeople') },
        ],
        note: t('noteGap'),
      }
    case 'population':
      return {
        title: t('legendPopulation'),
        items: POPULATION_STEPS.map((s, i) => {
          const next = POPULATION_STEPS[i + 1]
          return {
            color: s.color,
            label: next
              ? `${formatNumber(s.from)} – ${formatNumber(next.from - 1)}`
              : t('legendOrMore', formatNumber(s.from)),
          }
        }),
        note: t('notePopulation'),
      }
    case 'density':
      return {
        title: t('legendDensity'),
        items: DENSITY_STEPS.map((s, i) => {
          const next = DENSITY_STEPS[i + 1]
          return {
            color: s.color,
            label: next
              ? next.from - 1 === s.from
                ? `${s.from}`
                : `${s.from} – ${next.from - 1}`
              : t('legendOrMore', String(s.from)),
          }
        }),
        note: t('noteDensity'),
      }
  }
}

/** Read-out of one cell on hover, in plain language. */
export function describeCell(
  metric: HexMetric,
  p: {
    inhabitants?: number
    distanceM?: number | null
    total?: number
    detour?: number | null
    straightM?: number | null
    unreachable?: string | null
  },
  mode = 'line',
): string {
  const people =
    p.inhabitants === undefined
      ? ''
      : t('inhabitants', formatPeople(p.inhabitants), Math.round(p.inhabitants) === 1)
  switch (metric) {
    case 'population':
      return people
    case 'density':
      return t('placesCount', formatNumber(p.total ?? 0), p.total === 1)
    default: {
      if (p.distanceM === null || p.distanceM === undefined) {
        return `${people}, ${p.unreachable === 'no_path_nearby' ? t('noPathNearby') : t('noPlaceReachable')}`
      }
      const base = `${people}, ${t('toNearest', formatDistance(p.distanceM), modeWords(mode))}`
      if (metric !== 'detour' || p.detour == null || p.straightM == null) return base
      return `${base}; ${t('detourReadout', formatDistance(p.straightM), formatDecimal(p.detour))}`
    }
  }
}
