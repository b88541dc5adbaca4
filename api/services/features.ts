import type { AreaLevel } from '../domain/areas.js'
import type { Clock } from '../domain/clock.js'
import { DomainError } from '../domain/errors.js'
import type { GapArea } from '../domain/gap-areas.js'
import type { Crs, XyBox } from '../domain/ogc.js'
import { DEFAULT_PLACE_FILTER } from '../domain/places.js'
import { FIGURE_RESOLUTION } from '../domain/surface.js'
import type { Database } from '../db/database.js'
import {
  boxToLonLat,
  extentOf,
  findAreaOutlines,
  findPublicPlace,
  findPublicPlaces,
  placeTimeExtent,
  reprojectGeoJson,
  type AreaOutline,
  type Page,
  type PlaceQuery,
  type PublicPlace,
} from '../repositories/features.js'
import { areasPerLevel } from '../repositories/population.js'
import { DEFAULT_THRESHOLD, type Analysis } from './analysis.js'
import { people } from './figures.js'

/**
 * The collections of the OGC API Features service (api/http/ogc.ts): the public places, the CBS
 * areas per level with their coverage figures, and the gap areas of the province. What a
 * collection holds and which filters it takes is decided here; the HTTP layer only shapes links.
 */

/** The figures on areas and gap areas: straight line, 800 m, as /api/coverage by default. */
export const FIGURE_MODE = 'line' as const
export const FIGURE_THRESHOLD_M = DEFAULT_THRESHOLD[FIGURE_MODE]

const AREA_COLLECTIONS = [
  ['gemeenten', 'gemeente'],
  ['wijken', 'wijk'],
  ['buurten', 'buurt'],
] as const satisfies readonly (readonly [string, AreaLevel])[]

export type CollectionId = 'places' | 'gap-areas' | (typeof AREA_COLLECTIONS)[number][0]

/** The filters a collection takes besides bbox, limit, offset and crs. */
export type Filter = 'kind' | 'status' | 'gemeente' | 'datetime'

export interface Collection {
  readonly id: CollectionId
  readonly title: string
  readonly description: string
  readonly filters: readonly Filter[]
  /** Lon/lat box (CRS84), null when empty. */
  readonly bbox: XyBox | null
  /** First and last change, for places. */
  readonly interval: readonly [string | null, string | null] | null
}

/** Which items (the places' filters; areas and gap areas read `within` and `gemeente`), and in which CRS. */
export interface ItemsQuery extends PlaceQuery {
  readonly crs: Crs
}

export interface Feature {
  readonly id: string
  readonly geometry: unknown
  readonly properties: Record<string, unknown>
}

export interface Items {
  readonly features: Feature[]
  readonly matched: number
}

const FIGURES_NOTE =
  `Coverage figures: straight-line distance, threshold ${FIGURE_THRESHOLD_M} m, meeting places that are active and ` +
  `have an exact location, H3 resolution ${FIGURE_RESOLUTION} (as GET /api/v1/coverage answers without parameters).`

function areaDescription(level: AreaLevel): string {
  return (
    `CBS ${level} areas (CBS / Kadaster, CC-BY 4.0) with their inhabitants (the CBS count and its year) and ` +
    `the current coverage: inhabitants within reach of a meeting place, their share, the mean distance, ` +
    `places counted and inhabitants in gaps. ${FIGURES_NOTE} Filter: gemeente.`
  )
}

export function createFeatures(deps: { db: Database; analysis: Analysis; clock: Clock }) {
  const { db, analysis } = deps

  async function collections(): Promise<Collection[]> {
    const counts = await areasPerLevel(db)
    const places: Collection = {
      id: 'places',
      title: 'Plekken / Places',
      description:
        'The places of the shared register (meeting places, benches, initiatives) as a visitor sees them: ' +
        'never contact details. datetime filters on the last change (updated_at). Filters: kind, status, gemeente, datetime.',
      filters: ['kind', 'status', 'gemeente', 'datetime'],
      bbox: await extentOf(db, { places: true }),
      interval: await placeTimeExtent(db).then((t) => [t.first, t.last] as const),
    }
    const areas: Collection[] = []
    for (const [id, level] of AREA_COLLECTIONS) {
      if (!counts.get(level)) continue
      areas.push({
        id,
        title: `CBS ${id}`,
        description: areaDescription(level),
        filters: ['gemeente'],
        bbox: await extentOf(db, { level }),
        interval: null,
      })
    }
    const gaps: Collection = {
      id: 'gap-areas',
      title: 'Gaten / Gap areas',
      description:
        'Gap areas of the province: neighbouring populated H3 cells farther than the threshold from the nearest ' +
        'counted meeting place, merged and ranked most severe first (rank 1), named by the wijk, buurt and PC4 ' +
        `they lie in. ${FIGURES_NOTE} Empty until inhabitants are loaded.`,
      filters: [],
      bbox: counts.get('gemeente') ? await extentOf(db, { level: 'gemeente' }) : null,
      interval: null,
    }
    return [places, ...areas, gaps]
  }

  async function collection(id: string): Promise<Collection | undefined> {
    return (await collections()).find((c) => c.id === id)
  }

  /** The coverage figures of an area; nulls when no inhabitants are loaded. */
  async function figuresOf(area: AreaOutline) {
    const ref = { code: area.code, name: area.name, level: area.level }
    try {
      const result = await analysis.coverageOf(
        ref,
        FIGURE_RESOLUTION,
        FIGURE_MODE,
        FIGURE_THRESHOLD_M,
        DEFAULT_PLACE_FILTER,
        0,
      )
      const f = result.figures
      // The CBS count the figures are computed on (its control total), as /api/v1/coverage gives.
      const control = result.surface.controls.get(area.code)
      return {
        inhabitants: control ? control.official : area.inhabitants,
        inhabitants_year: control ? control.year : area.inhabitants_year,
        inhabitants_within: people(f.inhabitantsWithin),
        coverage_share: f.share === null ? null : Number(f.share.toFixed(6)),
        mean_distance_m: f.meanDistanceM === null ? null : Number(f.meanDistanceM.toFixed(1)),
        places_counted: result.placesInArea,
        gap_inhabitants: people(f.gapInhabitants),
      }
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') {
        return {
          inhabitants: area.inhabitants,
          inhabitants_year: area.inhabitants_year,
          inhabitants_within: null,
          coverage_share: null,
          mean_distance_m: null,
          places_counted: null,
          gap_inhabitants: null,
        }
      }
      throw e
    }
  }

  async function areaFeature(area: AreaOutline): Promise<Feature> {
    const { geometry, ...own } = area
    return {
      id: area.code,
      geometry: JSON.parse(geometry) as unknown,
      properties: {
        ...own,
        mode: FIGURE_MODE,
        threshold_m: FIGURE_THRESHOLD_M,
        ...(await figuresOf(area)),
      },
    }
  }

  /** Every gap area of the province with its outline (lon/lat), most severe first. */
  async function allGapAreas(): Promise<GapArea[]> {
    const province = await analysis.area('province')
    if (!province) return []
    try {
      const result = await analysis.gapAreasOf(
        province,
        FIGURE_RESOLUTION,
        FIGURE_MODE,
        FIGURE_THRESHOLD_M,
        DEFAULT_PLACE_FILTER,
        Infinity,
      )
      return result.areas
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') return []
      throw e
    }
  }

  function gapProperties(a: GapArea) {
    return {
      rank: a.rank,
      label_nl: a.label.nl,
      label_en: a.label.en,
      inhabitants: people(a.inhabitants),
      unreachable_inhabitants: people(a.unreachableInhabitants),
      cell_count: a.cellCount,
      severity: Math.round(a.severity),
      distance_min_m: a.distanceM ? Math.round(a.distanceM.min) : null,
      distance_max_m: a.distanceM ? Math.round(a.distanceM.max) : null,
      area_km2: Number(a.areaKm2.toFixed(3)),
      inhabitants_per_km2: Number(a.inhabitantsPerKm2.toFixed(1)),
      sparse: a.sparse,
      wijk_code: a.wijken[0]?.code ?? null,
      wijk_name: a.wijken[0]?.name ?? null,
      buurt_code: a.buurten[0]?.code ?? null,
      pc4: a.pc4[0]?.code ?? null,
      mode: FIGURE_MODE,
      threshold_m: FIGURE_THRESHOLD_M,
      resolution: FIGURE_RESOLUTION,
    }
  }

  async function gapFeatures(list: readonly GapArea[], crs: Crs): Promise<Feature[]> {
    const geometries = await reprojectGeoJson(
      db,
      list.map((a) => JSON.stringify(a.outline)),
      crs,
    )
    return list.map((a, i) => ({
      id: a.id,
      geometry: JSON.parse(geometries[i] as string) as unknown,
      properties: gapProperties(a),
    }))
  }

  function placeFeature(p: PublicPlace): Feature {
    const { id, geometry, ...properties } = p
    return { id, geometry: JSON.parse(geometry) as unknown, properties }
  }

  async function items(id: CollectionId, q: ItemsQuery, page: Page): Promise<Items> {
    if (id === 'places') {
      const { places, matched } = await findPublicPlaces(db, q, q.crs, page)
      return { features: places.map(placeFeature), matched }
    }
    if (id === 'gap-areas') {
      let list = await allGapAreas()
      if (q.within) {
        const [w, s, e, n] = await boxToLonLat(db, q.within)
        list = list.filter((a) => a.outline && overlaps(boxOf(a.outline.coordinates), [w, s, e, n]))
      }
      const slice = list.slice(page.offset, page.offset + page.limit)
      return { features: await gapFeatures(slice, q.crs), matched: list.length }
    }
    const level = levelOf(id)
    const { areas, matched } = await findAreaOutlines(
      db,
      { level, gemeente: q.gemeente, within: q.within },
      q.crs,
      page,
    )
    const features: Feature[] = []
    for (const a of areas) features.push(await areaFeature(a))
    return { features, matched }
  }

  async function item(id: CollectionId, featureId: string, crs: Crs): Promise<Feature | undefined> {
    if (id === 'places') {
      const place = /^[0-9a-f-]{36}$/i.test(featureId)
        ? await findPublicPlace(db, featureId, crs)
        : undefined
      return place && placeFeature(place)
    }
    if (id === 'gap-areas') {
      const found = (await allGapAreas()).find((a) => a.id === featureId)
      return found && (await gapFeatures([found], crs))[0]
    }
    const { areas } = await findAreaOutlines(db, { level: levelOf(id), code: featureId }, crs, {
      limit: 1,
      offset: 0,
    })
    return areas[0] && areaFeature(areas[0])
  }

  return { collections, collection, items, item }
}

function levelOf(id: CollectionId): AreaLevel {
  const found = AREA_COLLECTIONS.find(([name]) => name === id)
  if (!found) throw new Error(`not an area collection: ${id}`)
  return found[1]
}

function boxOf(coordinates: number[][][][]): XyBox {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const polygon of coordinates)
    for (const ring of polygon)
      for (const [x, y] of ring) {
        w = Math.min(w, x as number)
        e = Math.max(e, x as number)
        s = Math.min(s, y as number)
        n = Math.max(n, y as number)
      }
  return [w, s, e, n]
}

function overlaps(a: XyBox, b: XyBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

export type Features = ReturnType<typeof createFeatures>
