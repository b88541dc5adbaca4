/**
 * Which land of an area can hold homes, when nothing finer than the CBS outlines is known (no
 * land use, no addresses). CBS outlines include dams, dikes and far-off bits of land: the wijk
 * Kustwijk in Lelystad runs the whole 25 km Houtribdijk to Enkhuizen, and spreading its people
 * over it put hundreds of them on a dam. Two rules, applied to every area alike:
 * - land narrower than 100 m holds no homes (found in PostGIS: `openedParts`);
 * - a part that is detached from the area's largest part by more than FAR_PART_M and holds less
 *   than SMALL_PART_SHARE of its land (the far end of a dam, an island) holds no homes.
 * An area that would keep less than MIN_KEPT_SHARE of its outline that way keeps its whole outline
 * (a small or oddly shaped area is not emptied by the rules).
 */

/** A part detached from the largest part by more than this (m) is "far". */
export const FAR_PART_M = 5000
/** A far part with less than this share of the area's land holds no homes. */
export const SMALL_PART_SHARE = 0.3
/** Below this share of the whole outline kept, the area keeps its whole outline. */
export const MIN_KEPT_SHARE = 0.6

type Geometry = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }

export interface OpenedPart {
  /** GeoJSON Polygon, EPSG:4326. */
  readonly geometry: Geometry
  readonly m2: number
  /** Metres to the area's largest part (0 for the largest part itself). */
  readonly toMainM: number
}

/**
 * The habitable outline of an area (a MultiPolygon, EPSG:4326) from its outline and its opened
 * parts; also how much of the outline it keeps.
 */
export function habitableOutline(
  outline: Geometry,
  outlineM2: number,
  parts: readonly OpenedPart[],
): { geometry: Geometry; keptShare: number } {
  const opened = parts.reduce((s, p) => s + p.m2, 0)
  const kept = parts.filter(
    (p) => p.toMainM === 0 || !(p.toMainM > FAR_PART_M && p.m2 < SMALL_PART_SHARE * opened),
  )
  const keptM2 = kept.reduce((s, p) => s + p.m2, 0)
  if (kept.length === 0 || !(keptM2 >= MIN_KEPT_SHARE * outlineM2)) {
    return { geometry: outline, keptShare: 1 }
  }
  const polygons = kept.flatMap((p) =>
    p.geometry.type === 'Polygon'
      ? [p.geometry.coordinates]
      : (p.geometry.coordinates as unknown[]),
  )
  return {
    geometry: { type: 'MultiPolygon', coordinates: polygons },
    keptShare: keptM2 / outlineM2,
  }
}
