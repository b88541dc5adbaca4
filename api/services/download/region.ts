import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { bbox as turfBbox } from '@turf/bbox'
import type { AssetSchemas } from '../../domain/asset.js'
import { DomainError, invalidParameter, serviceUnavailable } from '../../domain/errors.js'
import { PROBLEM, REASON, type Bilingual } from '../../domain/messages.js'
import type { Bbox } from '../../domain/geo.js'
import type { Database } from '../../db/database.js'
import { importAreas, type AreaFile, type AreaImportReport } from '../areas.js'
import type { Clock } from '../../domain/clock.js'
import { importOsm, type OsmImportReport } from '../osm-import.js'
import { downloadCache, type DownloadRecord } from './cache.js'
import { fetchText, fetchToFile, type Fetcher, type RetryOptions } from './http.js'
import { fetchAllFeatures, requireProperties, schemaChanged, type GeoJsonFeature } from './ogc.js'

/** Regions known by name: their gemeenten and a box around them (lon/lat). */
export const REGIONS = {
  flevoland: {
    name: 'Flevoland',
    bbox: [5.1, 52.25, 5.95, 52.9] as Bbox,
    gemeenten: ['GM0034', 'GM0050', 'GM0171', 'GM0184', 'GM0303', 'GM0995'],
  },
} as const

export type RegionName = keyof typeof REGIONS

export const PDOK_LICENCE = 'CC-BY 4.0'
export const PDOK_ATTRIBUTION = 'Kadaster / Centraal Bureau voor de Statistiek'
export const OSM_LICENCE = 'ODbL 1.0'
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors'

/** The CBS levels PDOK serves, with their field names (PDOK OGC API, snake case). */
const LEVELS = [
  { collection: 'gemeenten', code: 'gemeentecode', name: 'gemeentenaam' },
  { collection: 'wijken', code: 'wijkcode', name: 'wijknaam' },
  { collection: 'buurten', code: 'buurtcode', name: 'buurtnaam' },
] as const

const INHABITANTS = 'aantal_inwoners'
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'

/** Ways for walking and cycling, ferries, and the places of the tag mapping (DOMAIN.md). */
export function overpassQuery([west, south, east, north]: Bbox, timeoutS = 180): string {
  return `[out:json][timeout:${timeoutS}][bbox:${south},${west},${north},${east}];
(
  way["highway"~"^(footway|path|pedestrian|living_street|residential|service|unclassified|track|steps|cycleway|bridleway|road|tertiary|tertiary_link|secondary|secondary_link|primary|primary_link|trunk|trunk_link)$"];
  way["route"="ferry"];
  nwr["amenity"~"^(community_centre|social_centre|library|cafe|pub|place_of_worship|school|bench)$"];
  nwr["leisure"~"^(sports_centre|playground|park|garden|picnic_table)$"];
  nwr["club"="sport"];
  nwr["place"="square"];
  nwr["landuse"="allotments"];
  nwr["social_facility"="outreach"];
);
out body;
>;
out skel qt;`
}

export interface DownloadTarget {
  readonly region?: RegionName | undefined
  readonly gemeente?: string | undefined
  readonly bbox?: Bbox | undefined
}

export type DownloadProgress =
  | { step: 'areas'; collection: string; page: number; features: number; bytes: number }
  | { step: 'osm'; bytes: number }
  | { step: 'cached'; name: string; retrievedAt: string }
  | { step: 'retry'; url: string; attempt: number; waitMs: number; why: string }
  | { step: 'import'; what: 'areas' | 'osm' }

export interface DownloadDeps {
  readonly db: Database
  readonly clock: Clock
  readonly schemas: AssetSchemas
  readonly fetcher: Fetcher
  /** Where downloads are kept (under the data directory). */
  readonly cacheDir: string
  readonly regionBbox: Bbox
  readonly ferryPenaltyMin: number
  readonly retry?: RetryOptions | undefined
  /**
   * Most bytes a download, and an OpenStreetMap file once unpacked, may be
   * (BUURTKAART_MAX_OSM_BYTES; default 1 GiB).
   */
  readonly maxBytes?: number | undefined
}

export interface DownloadOptions extends DownloadTarget {
  readonly year: number
  readonly refresh: boolean
  /** PDOK service; `{year}` is replaced. */
  readonly pdokUrl: string
  readonly overpassUrl: string
  /** Instead of Overpass: an OpenStreetMap file to download (e.g. a regional .osm.pbf extract). */
  readonly osmUrl?: string | undefined
  /** Identifies this installation to the services (Overpass refuses anonymous clients). */
  readonly userAgent: string
  readonly areas?: boolean
  readonly osm?: boolean
  readonly onProgress?: ((p: DownloadProgress) => void) | undefined
}

export interface DownloadReport {
  readonly target: { readonly gemeenten: readonly string[] | null; readonly bbox: Bbox }
  readonly downloads: readonly (DownloadRecord & { readonly cached: boolean })[]
  readonly areas: AreaImportReport | null
  readonly osm: OsmImportReport | null
}

const badTarget = (why: Bilingual) => invalidParameter(PROBLEM.whichArea(why))

const isWater = (f: GeoJsonFeature) => f.properties.water === 'JA'

/**
 * Downloads CBS areas (PDOK OGC API Features) and OpenStreetMap (Overpass) for a region, a
 * gemeente or a box, keeps them under the data directory with their source, licence and date,
 * and runs the same importers as the file commands. Everything is downloaded before anything is
 * imported, so a failed download leaves the database as it was. A second run reuses the cache
 * unless `refresh`.
 */
export async function downloadRegion(
  deps: DownloadDeps,
  options: DownloadOptions,
): Promise<DownloadReport> {
  const cache = downloadCache(deps.cacheDir)
  const base = options.pdokUrl.replace('{year}', String(options.year)).replace(/\/$/, '')
  const retry: RetryOptions = {
    ...deps.retry,
    maxBytes: deps.maxBytes,
    onRetry: (r) => options.onProgress?.({ step: 'retry', ...r }),
  }
  const headers = { 'user-agent': options.userAgent }
  const fetcher: Fetcher = (url, init) =>
    deps.fetcher(url, { ...init, headers: { ...headers, ...(init?.headers as object) } })
  const downloads: (DownloadRecord & { cached: boolean })[] = []

  /** A cached download, or a fresh one stored under `name`. */
  async function cached(
    name: string,
    fetch: () => Promise<{ text: string; url: string; items: number; dataTimestamp?: string }>,
    about: { licence: string; attribution: string },
  ): Promise<DownloadRecord> {
    const hit = options.refresh ? undefined : await cache.get(name)
    if (hit) {
      options.onProgress?.({ step: 'cached', name, retrievedAt: hit.retrievedAt })
      downloads.push({ ...hit, cached: true })
      return hit
    }
    const got = await fetch()
    const record = await cache.put(name, got.text, {
      url: got.url,
      items: got.items,
      dataTimestamp: got.dataTimestamp,
      retrievedAt: deps.clock.now().toISOString(),
      ...about,
    })
    downloads.push({ ...record, cached: false })
    return record
  }

  // Which gemeenten, which box.
  let codes: readonly string[] | null = null
  let box: Bbox
  if (options.region) {
    const region = REGIONS[options.region]
    codes = region.gemeenten
    box = region.bbox
  } else if (options.gemeente) {
    if (!/^GM\d{4}$/.test(options.gemeente)) {
      throw badTarget(REASON.gemeenteCodeFormat(options.gemeente))
    }
    codes = [options.gemeente]
    const url = `${base}/collections/gemeenten/items?f=json&limit=1000&gemeentecode=${options.gemeente}`
    // A property filter only works where PDOK configured it; otherwise (HTTP 400, "unknown
    // query parameter") read all gemeenten, page by page, and pick the one.
    const features = await fetchAllFeatures(fetcher, url, retry).then(
      (r) => r.features,
      async (e: unknown) => {
        if (!(e instanceof DomainError) || (e.extra as { status?: number }).status !== 400) throw e
        const all = `${base}/collections/gemeenten/items?f=json&limit=1000`
        return (await fetchAllFeatures(fetcher, all, retry)).features
      },
    )
    const land = features.filter(
      (f) => !isWater(f) && f.properties.gemeentecode === options.gemeente,
    )
    if (land.length === 0) {
      throw badTarget(REASON.gemeenteUnknown(options.gemeente, options.year))
    }
    const [w, s, e, n] = turfBbox({ type: 'FeatureCollection', features: land } as never)
    box = [w, s, e, n]
  } else if (options.bbox) {
    box = options.bbox
  } else {
    throw badTarget(REASON.chooseTarget)
  }
  const key = codes ? codes.join('-') : box.map((v) => v.toFixed(4)).join('_')

  // 1. CBS areas, one collection at a time (PDOK asks for modest use).
  const areaFiles: AreaFile[] = []
  if (options.areas !== false) {
    for (const level of LEVELS) {
      // Output in WGS84 lon/lat (CRS84, PDOK's default, asked for explicitly).
      const first = `${base}/collections/${level.collection}/items?f=json&limit=1000&crs=${encodeURIComponent(CRS84)}&bbox=${box.join(',')}`
      const record = await cached(
        `pdok-${options.year}-${level.collection}-${key}`,
        async () => {
          const { features } = await fetchAllFeatures(fetcher, first, {
            ...retry,
            onPage: (p) =>
              options.onProgress?.({ step: 'areas', collection: level.collection, ...p }),
          })
          requireProperties(first, features, [level.code, level.name, INHABITANTS])
          const kept = features.filter(
            (f) =>
              !isWater(f) && (codes === null || codes.includes(String(f.properties.gemeentecode))),
          )
          return {
            url: first,
            items: kept.length,
            text: JSON.stringify({ type: 'FeatureCollection', features: kept }),
          }
        },
        { licence: PDOK_LICENCE, attribution: PDOK_ATTRIBUTION },
      )
      const collection = JSON.parse(await readFile(record.file, 'utf8')) as { features: unknown[] }
      if (collection.features.length === 0) continue
      areaFiles.push({
        collection,
        year: options.year,
        source: `${PDOK_ATTRIBUTION} via PDOK (${record.url}), ${PDOK_LICENCE}, retrieved ${record.retrievedAt.slice(0, 10)}`,
        fields: { code: [level.code], name: [level.name], inhabitants: [INHABITANTS] },
      })
    }
  }

  // 2. OpenStreetMap: the network and the places, in one Overpass request.
  let osmRecord: DownloadRecord | undefined
  if (options.osm !== false && options.osmUrl) {
    const osmUrl = options.osmUrl
    const name = `osm-file-${createHash('sha256').update(osmUrl).digest('hex').slice(0, 12)}`
    const hit = options.refresh ? undefined : await cache.get(name)
    if (hit) {
      options.onProgress?.({ step: 'cached', name, retrievedAt: hit.retrievedAt })
      downloads.push({ ...hit, cached: true })
      osmRecord = hit
    } else {
      await mkdir(deps.cacheDir, { recursive: true })
      await fetchToFile(
        fetcher,
        osmUrl,
        cache.partFile(name),
        {},
        {
          ...retry,
          onBytes: (bytes) => {
            if (bytes % (8 << 20) < 65_536) options.onProgress?.({ step: 'osm', bytes })
          },
        },
      )
      osmRecord = await cache.adopt(name, {
        url: osmUrl,
        items: 0,
        retrievedAt: deps.clock.now().toISOString(),
        licence: OSM_LICENCE,
        attribution: OSM_ATTRIBUTION,
      })
      downloads.push({ ...osmRecord, cached: false })
    }
  } else if (options.osm !== false) {
    osmRecord = await cached(
      `overpass-${key}`,
      async () => {
        const { text } = await fetchText(
          fetcher,
          options.overpassUrl,
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ data: overpassQuery(box) }).toString(),
          },
          // Overpass asks clients to wait at least 30 s after a 429.
          { minWaitAfter429Ms: 30_000, maxWaitMs: 120_000, ...retry },
        )
        options.onProgress?.({ step: 'osm', bytes: Buffer.byteLength(text) })
        let body: { elements?: unknown; remark?: unknown; osm3s?: { timestamp_osm_base?: unknown } }
        try {
          body = JSON.parse(text) as typeof body
        } catch {
          throw schemaChanged(options.overpassUrl, REASON.notJson)
        }
        // Overpass reports a timeout or lack of memory inside a 200 answer, after partial data.
        if (typeof body.remark === 'string' && /error/i.test(body.remark)) {
          throw serviceUnavailable(PROBLEM.overpassIncomplete(body.remark))
        }
        if (!Array.isArray(body.elements)) {
          throw schemaChanged(options.overpassUrl, REASON.noElements)
        }
        const stamp = body.osm3s?.timestamp_osm_base
        return {
          text,
          url: options.overpassUrl,
          items: body.elements.length,
          ...(typeof stamp === 'string' ? { dataTimestamp: stamp } : {}),
        }
      },
      { licence: OSM_LICENCE, attribution: OSM_ATTRIBUTION },
    )
  }

  // 3. Everything is here: the same importers as the file commands.
  let areas: AreaImportReport | null = null
  if (areaFiles.length > 0) {
    options.onProgress?.({ step: 'import', what: 'areas' })
    areas = await importAreas({ db: deps.db, clock: deps.clock }, areaFiles)
  }
  let osm: OsmImportReport | null = null
  if (osmRecord) {
    options.onProgress?.({ step: 'import', what: 'osm' })
    osm = await importOsm(
      { db: deps.db, clock: deps.clock, schemas: deps.schemas },
      osmRecord.file,
      {
        network: true,
        places: true,
        dryRun: false,
        regionBbox: deps.regionBbox,
        ferryPenaltyMin: deps.ferryPenaltyMin,
        actor: 'data-download',
        fileName: `Overpass (${key})`,
        maxBytes: deps.maxBytes,
        origin: {
          url: osmRecord.url,
          retrievedAt: osmRecord.retrievedAt,
          licence: `${OSM_LICENCE}, ${OSM_ATTRIBUTION}`,
          dataTimestamp: osmRecord.dataTimestamp,
        },
      },
    )
  }
  return { target: { gemeenten: codes, bbox: box }, downloads, areas, osm }
}
