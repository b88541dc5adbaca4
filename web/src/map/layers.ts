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
