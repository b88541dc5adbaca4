import { formatDistance, formatNumber } from '../i18n/format.js'
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl'

/** Flevoland's land extent, [west, south, east, north]. */
export const FLEVOLAND_BOUNDS: [number, number, number, number] = [5.13, 52.27, 5.93, 52.87]

export const COLORS = { meetingPlace: '#0b6e4f', other: '#ffffff', outline: '#5b6475' }

/**
 * The base style: a plain background that needs no network (no tiles, no glyphs), so the map
 * works offline. Sources are filled from the API after load.
 */
export const baseStyle: StyleSpecification = {
  version: 8,
  sources: {
    gemeenten: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    selected: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
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
  ],
}

/** Asset layers, described as data: clusters at low zoom, one circle per place closer in. */
export const assetLayers: LayerSpecification[] = [
  {
    id: 'asset-clusters',
    type: 'circle',
    source: 'assets',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': COLORS.meetingPlace,
      'circle-opacity': 0.75,
      'circle-radius': ['step', ['get', 'point_count'], 10, 10, 14, 50, 18],
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 2,
    },
  },
  {
    id: 'asset-points',
    type: 'circle',
    source: 'assets',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-radius': 7,
      'circle-color': ['case', ['get', 'is_meeting_place'], COLORS.meetingPlace, COLORS.other],
      'circle-stroke-color': COLORS.meetingPlace,
      'circle-stroke-width': 2,
    },
  },
]

export type HexMetric = 'population' | 'density' | 'distance' | 'gap' | 'detour'

/** How a distance was measured, in the words of the legend. */
export const MODE_WORDS: Record<string, string> = {
  line: 'hemelsbreed',
  walk: 'lopend over de weg',
  bike: 'fietsend over de weg',
}

/** H3 resolution for a zoom level: about 15–40 px per cell on screen. */
export function resolutionForZoom(zoom: number): number {
  if (zoom < 9) return 7
  if (zoom < 10.5) return 8
  if (zoom < 12) return 9
  return 10
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
  const words = MODE_WORDS[mode] ?? mode
  const network =
    mode === 'line'
      ? ''
      : ' Afstand over paden en wegen uit OpenStreetMap (© OpenStreetMap-bijdragers).'
  switch (metric) {
    case 'detour':
      return {
        title: `Hoeveel verder is het ${words} dan hemelsbreed?`,
        items: [
          ...DETOUR_STEPS.map((s, i) => {
            const next = DETOUR_STEPS[i + 1]
            const f = (v: number) => `${v.toLocaleString('nl-NL')}×`
            return {
              color: s.color,
              label: next ? `${f(s.from)} – ${f(next.from)}` : `${f(s.from)} of meer`,
            }
          }),
          {
            color: NO_VALUE_COLOR,
            opacity: 0.35,
            label: 'geen waarde (plek vlakbij of niet bereikbaar)',
          },
        ],
        note:
          'Omweg = afstand over de weg ÷ afstand hemelsbreed. Hoog waar water, spoor of snelweg ertussen ligt.' +
          network,
      }
    case 'distance':
      return {
        title: `Hoe ver is het naar een ontmoetingsplek? (${words})`,
        items: DISTANCE_BANDS.map((b, i) => {
          const from = i === 0 ? 0 : (DISTANCE_BANDS[i - 1]?.upTo as number)
          const label = Number.isFinite(b.upTo)
            ? `${formatDistance(from)} – ${formatDistance(b.upTo)}`
            : `meer dan ${formatDistance(from)}`
          const marked = b.upTo === thresholdM ? ' ← grens' : ''
          return { color: b.color, label: label + marked }
        }),
        note: 'Alleen cellen waar mensen wonen. Bron: CBS, Buurtkaart-register.' + network,
      }
    case 'gap':
      return {
        title: `Waar wonen mensen verder dan ${formatDistance(thresholdM)} (${words}) van een ontmoetingsplek?`,
        items: [
          { color: GAP_COLOR, opacity: 0.25, label: 'een paar inwoners' },
          { color: GAP_COLOR, opacity: 0.85, label: 'veel inwoners' },
        ],
        note: 'Hoe donkerder, hoe meer inwoners in de cel.',
      }
    case 'population':
      return {
        title: 'Inwoners per cel',
        items: POPULATION_STEPS.map((s, i) => {
          const next = POPULATION_STEPS[i + 1]
          return {
            color: s.color,
            label: next
              ? `${formatNumber(s.from)} – ${formatNumber(next.from - 1)}`
              : `${formatNumber(s.from)} of meer`,
          }
        }),
        note: 'Bron: CBS, verdeeld over de cellen naar oppervlakte.',
      }
    case 'density':
      return {
        title: 'Plekken per cel',
        items: DENSITY_STEPS.map((s, i) => {
          const next = DENSITY_STEPS[i + 1]
          return {
            color: s.color,
            label: next
              ? next.from - 1 === s.from
                ? `${s.from}`
                : `${s.from} – ${next.from - 1}`
              : `${s.from} of meer`,
          }
        }),
        note: 'Alle plekken in het register.',
      }
  }
}

/** Read-out of one cell on hover, in plain Dutch. */
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
      : `${formatNumber(p.inhabitants)} ${p.inhabitants === 1 ? 'inwoner' : 'inwoners'}`
  switch (metric) {
    case 'population':
      return people
    case 'density':
      return `${formatNumber(p.total ?? 0)} ${p.total === 1 ? 'plek' : 'plekken'}`
    default: {
      if (p.distanceM === null || p.distanceM === undefined) {
        return p.unreachable === 'no_path_nearby'
          ? `${people}, geen pad of weg in de buurt`
          : `${people}, geen ontmoetingsplek bereikbaar`
      }
      const words = MODE_WORDS[mode] ?? mode
      const base = `${people}, ${formatDistance(p.distanceM)} ${words} naar de dichtstbijzijnde ontmoetingsplek`
      if (metric !== 'detour') return base
      return p.detour === null ||
        p.detour === undefined ||
        p.straightM === null ||
        p.straightM === undefined
        ? base
        : `${base}; hemelsbreed ${formatDistance(p.straightM)}, omweg ${p.detour.toLocaleString('nl-NL', { maximumFractionDigits: 1 })}×`
    }
  }
}
