import type { Wheelchair } from './asset.js'
import { KINDS, type KindCode } from './kinds.js'
import type { Tags } from './network/profiles.js'
import { unstorableText } from './text.js'

/**
 * OpenStreetMap objects as places of the register (DOMAIN.md "Asset kinds"): the tag mapping,
 * and the attributes an import takes from OpenStreetMap. Fields not listed here (target groups,
 * activities, capacity, verification) belong to Buurtkaart alone.
 */

/** The attributes an OpenStreetMap import owns, with the position as one field. */
export const OSM_FIELDS = [
  'name',
  'kind',
  'address',
  'organisation',
  'description',
  'opening_hours',
  'wheelchair',
  'free_entry',
  'position',
] as const
export type OsmField = (typeof OSM_FIELDS)[number]

export interface OsmPlace {
  readonly kind: KindCode
  readonly name: string
  /** True when OpenStreetMap has no name and the kind's label stands in. */
  readonly unnamed: boolean
  readonly address: string | null
  readonly organisation: string | null
  readonly description: string | null
  readonly opening_hours: string | null
  readonly wheelchair: Wheelchair
  readonly free_entry: boolean | null
  /**
   * Fields whose OpenStreetMap text held what PostgreSQL cannot store (NUL, half a surrogate
   * pair): that was replaced (by a space, by U+FFFD), and the import says so.
   */
  readonly cleaned: readonly OsmTextField[]
}

/** The fields an import takes from OpenStreetMap text tags. */
type OsmTextField = 'name' | 'address' | 'organisation' | 'description' | 'opening_hours'

const PUBLIC_ACCESS = new Set(['yes', 'permissive', 'public', 'community', 'customers'])

/** Kinds by tag, tried in the order of the taxonomy (the first match wins). */
const RULES: readonly { kind: KindCode; match: (t: Tags) => boolean }[] = KINDS.flatMap((k) =>
  k.osmTags.map((tag) => {
    const [key, value] = tag.split('=') as [string, string]
    const kind: KindCode = k.code
    if (kind === 'shared_garden' && tag === 'leisure=garden') {
      // A private garden is no shared garden: only one open to people ("+ access").
      return { kind, match: (t: Tags) => t[key] === value && PUBLIC_ACCESS.has(t.access ?? '') }
    }
    return { kind, match: (t: Tags) => t[key] === value }
  }),
)

/**
 * Tag text as the register keeps it: control characters (NUL among them) as spaces, a lone
 * surrogate as U+FFFD, at most `max` UTF-16 units without cutting a surrogate pair in half.
 */
const clean = (v: string | undefined, max = 500) => {
  const text = v
    // eslint-disable-next-line no-control-regex -- OpenStreetMap text may hold control characters
    ?.replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\p{Cs}/gu, '\ufffd')
    .trim()
  if (!text) return null
  const cut = text.slice(0, max)
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut
}

/** The address tags as one line, before `clean`. */
function address(t: Tags): string | null {
  const street = [t['addr:street'], t['addr:housenumber']].filter(Boolean).join(' ')
  const town = [t['addr:postcode'], t['addr:city']].filter(Boolean).join(' ')
  return [street, town].filter(Boolean).join(', ') || null
}

function wheelchair(v: string | undefined): Wheelchair {
  return v === 'yes' || v === 'limited' || v === 'no' ? v : 'unknown'
}

/** The place an OpenStreetMap object stands for, or undefined when its tags map to no kind. */
export function placeFromTags(
  tags: Tags,
  labelOf: (kind: KindCode) => string,
): OsmPlace | undefined {
  if (tags.disused === 'yes' || tags.abandoned === 'yes') return undefined
  // Not open to the neighbourhood: a private garden's bench, a company's canteen.
  if (tags.access === 'private' || tags.access === 'no') return undefined
  const rule = RULES.find((r) => r.match(tags))
  if (!rule) return undefined
  const cleaned: OsmTextField[] = []
  const text = (field: OsmTextField, v: string | null | undefined, max: number) => {
    if (v && unstorableText(v)) cleaned.push(field)
    return clean(v ?? undefined, max)
  }
  const name = text('name', tags.name ?? tags['name:nl'], 200)
  return {
    kind: rule.kind,
    name: name ?? labelOf(rule.kind),
    unnamed: name === null,
    address: text('address', address(tags), 500),
    organisation: text('organisation', tags.operator, 200),
    description: text('description', tags.description, 2000),
    opening_hours: text('opening_hours', tags.opening_hours, 500),
    wheelchair: wheelchair(tags.wheelchair),
    free_entry: tags.fee === 'no' ? true : tags.fee === 'yes' ? false : null,
    cleaned,
  }
}

/** True when the tags make an object a place (cheap test for a first pass over a file). */
export function isPlaceTagged(tags: Tags): boolean {
  return RULES.some((r) => r.match(tags))
}

export type MergeDecision<T> =
  | { readonly take: 'osm'; readonly value: T }
  | { readonly take: 'buurtkaart'; readonly conflict: boolean }

/**
 * A three-way merge of one field: `base` is what the last import wrote, `current` what the
 * register holds now, `incoming` what OpenStreetMap says today. A field a person changed since
 * the last import is never overwritten; when OpenStreetMap changed it too, that is a conflict.
 */
export function mergeField<T>(
  base: T | undefined,
  current: T,
  incoming: T,
  same: (a: T, b: T) => boolean,
): MergeDecision<T> {
  if (same(current, incoming)) return { take: 'buurtkaart', conflict: false }
  if (base !== undefined && same(current, base)) return { take: 'osm', value: incoming }
  return { take: 'buurtkaart', conflict: base === undefined || !same(incoming, base) }
}
