/**
 * Which OpenStreetMap ways a person may walk or cycle, and in which direction. Defaults follow
 * the Dutch access rules as mapped in OpenStreetMap (wiki: "OSM tags for routing/Access
 * restrictions", Netherlands): a highway type decides the default, and `access`, `foot`,
 * `bicycle` and the one-way tags override it.
 */

export const PROFILES = ['walk', 'bike'] as const
export type Profile = (typeof PROFILES)[number]

export type Tags = Readonly<Record<string, string>>

/** Travel directions along a way's node order. */
export interface Directions {
  readonly forward: boolean
  readonly backward: boolean
}

export interface WayRules {
  readonly walk: Directions | null
  readonly bike: Directions | null
  /** A ferry route: an edge with a waiting-time penalty. */
  readonly ferry: boolean
}

const WALK_DEFAULT = new Set([
  'footway',
  'path',
  'pedestrian',
  'steps',
  'living_street',
  'residential',
  'service',
  'unclassified',
  'track',
  'road',
  'tertiary',
  'tertiary_link',
  'secondary',
  'secondary_link',
  'primary',
  'primary_link',
  'cycleway',
  'bridleway',
])
/** Walking here only when a sign allows it (foot=yes). */
const WALK_IF_ALLOWED = new Set(['trunk', 'trunk_link'])

const BIKE_DEFAULT = new Set([
  'cycleway',
  'path',
  'living_street',
  'residential',
  'service',
  'unclassified',
  'track',
  'road',
  'tertiary',
  'tertiary_link',
  'secondary',
  'secondary_link',
  'primary',
  'primary_link',
])
/** Cycling here only when a sign allows it (bicycle=yes, or dismount: walk the bike). */
const BIKE_IF_ALLOWED = new Set([
  'footway',
  'pedestrian',
  'bridleway',
  'trunk',
  'trunk_link',
  'steps',
])

const YES = new Set(['yes', 'designated', 'permissive', 'official', 'destination'])
const NO = new Set(['no', 'private', 'use_sidepath', 'agricultural', 'forestry', 'delivery'])
const BOTH: Directions = { forward: true, backward: true }
const TRUE = new Set(['yes', '1', 'true'])
const REVERSE = new Set(['-1', 'reverse'])

function allowed(tags: Tags, specific: string, byDefault: boolean, onlyIf: boolean): boolean {
  const own = tags[specific]
  if (own !== undefined) {
    if (NO.has(own)) return false
    if (YES.has(own) || (specific === 'bicycle' && own === 'dismount')) return true
  }
  if (onlyIf) return false
  const access = tags.access
  if (access !== undefined && NO.has(access)) return false
  return byDefault
}

function oneway(value: string | undefined): Directions | undefined {
  if (value === undefined) return undefined
  if (TRUE.has(value)) return { forward: true, backward: false }
  if (REVERSE.has(value)) return { forward: false, backward: true }
  if (value === 'no') return BOTH
  return undefined
}

function bikeDirections(tags: Tags): Directions {
  const own = oneway(tags['oneway:bicycle'])
  if (own) return own
  const cycleway = tags.cycleway ?? ''
  if (cycleway.startsWith('opposite')) return BOTH
  if (tags['cycleway:both'] === 'lane' || tags['cycleway:left:oneway'] === 'no') return BOTH
  const general = oneway(tags.oneway)
  if (general) return general
  if (tags.junction === 'roundabout' || tags.junction === 'circular') {
    return { forward: true, backward: false }
  }
  return BOTH
}

/** The walk and bike rules for one way, from its tags. */
export function wayRules(tags: Tags): WayRules {
  if (tags.route === 'ferry') {
    const walk = allowed(tags, 'foot', true, false)
    const bike = allowed(tags, 'bicycle', true, false)
    return { walk: walk ? BOTH : null, bike: bike ? BOTH : null, ferry: true }
  }
  const highway = tags.highway
  if (highway === undefined) return { walk: null, bike: null, ferry: false }
  const walk = allowed(tags, 'foot', WALK_DEFAULT.has(highway), WALK_IF_ALLOWED.has(highway))
  const bikeOk = allowed(tags, 'bicycle', BIKE_DEFAULT.has(highway), BIKE_IF_ALLOWED.has(highway))
  return {
    walk: walk ? (oneway(tags['oneway:foot']) ?? BOTH) : null,
    bike: bikeOk ? bikeDirections(tags) : null,
    ferry: false,
  }
}

/** Average speeds (m/min) that turn a ferry's waiting time into metres of the profile. */
export const SPEED_M_PER_MIN: Record<Profile, number> = { walk: 5000 / 60, bike: 15000 / 60 }
