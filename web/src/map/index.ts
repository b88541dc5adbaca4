import {
  Map as MapLibreMap,
  NavigationControl,
  setWorkerUrl,
  type GeoJSONSource,
} from 'maplibre-gl'
// MapLibre 6 runs its parsing in a module worker; Vite bundles it and gives its URL.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'
import type { FeatureCollection } from '../api-client/index.js'
import { assetLayers, baseStyle, FLEVOLAND_BOUNDS } from './layers.js'

type GeoJsonData = Parameters<GeoJSONSource['setData']>[0]

/** The only MapLibre code of the app. */
export function createMap(container: HTMLElement) {
  setWorkerUrl(workerUrl)
  const map = new MapLibreMap({
    container,
    style: baseStyle,
    bounds: FLEVOLAND_BOUNDS,
    fitBoundsOptions: { padding: 20 },
    attributionControl: { compact: false, customAttribution: 'CBS / Kadaster' },
  })
  map.addControl(new NavigationControl({ showCompass: false }))
  const loaded = new Promise<void>((resolve) => map.once('load', () => resolve()))

  return {
    map,
    async showGemeenten(data: FeatureCollection) {
      await loaded
      await (map.getSource('gemeenten') as GeoJSONSource).setData(data as GeoJsonData)
    },
    async showAssets(data: FeatureCollection) {
      await loaded
      await (map.getSource('assets') as GeoJSONSource).setData(data as GeoJsonData)
      for (const layer of assetLayers) if (!map.getLayer(layer.id)) map.addLayer(layer)
    },
  }
}
