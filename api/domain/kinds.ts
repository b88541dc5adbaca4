/**
 * The asset taxonomy (DOMAIN.md "Asset kinds"). `meetingPlace` is the default for an asset's
 * `is_meeting_place`; an asset may override it.
 */
export interface KindDefinition {
  readonly code: string
  readonly label: { readonly nl: string; readonly en: string }
  readonly group: 'meeting_place' | 'rest_point' | 'candidate' | 'initiative'
  readonly meetingPlace: boolean
  /** OpenStreetMap tags that map to this kind, as `key=value`. */
  readonly osmTags: readonly string[]
}

export const KINDS = [
  {
    code: 'community_centre',
    label: { nl: 'Buurthuis / wijkcentrum', en: 'Community centre' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['amenity=community_centre'],
  },
  {
    code: 'living_room',
    label: { nl: 'Huiskamer van de wijk / inloop', en: 'Neighbourhood living room / drop-in' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['amenity=social_centre', 'social_facility=outreach'],
  },
  {
    code: 'library',
    label: { nl: 'Bibliotheek', en: 'Library' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['amenity=library'],
  },
  {
    code: 'cafe',
    label: { nl: 'Café / horeca (derde plek)', en: 'Café / pub (third place)' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['amenity=cafe', 'amenity=pub'],
  },
  {
    code: 'place_of_worship',
    label: { nl: 'Gebedshuis met buurtfunctie', en: 'Place of worship open to the neighbourhood' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['amenity=place_of_worship'],
  },
  {
    code: 'sports',
    label: { nl: 'Sportaccommodatie / kantine', en: 'Sports facility / club canteen' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['leisure=sports_centre', 'club=sport'],
  },
  {
    code: 'playground',
    label: { nl: 'Speeltuin', en: 'Playground' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['leisure=playground'],
  },
  {
    code: 'park_square',
    label: { nl: 'Park / plein / groen', en: 'Park / square / green space' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['leisure=park', 'place=square'],
  },
  {
    code: 'shared_garden',
    label: { nl: 'Gedeelde tuin / binnentuin', en: 'Shared garden / courtyard garden' },
    group: 'meeting_place',
    meetingPlace: true,
    osmTags: ['leisure=garden', 'landuse=allotments'],
  },
  {
    code: 'school',
    label: { nl: 'School (buurtgebruik)', en: 'School (neighbourhood use)' },
    group: 'candidate',
    meetingPlace: false,
    osmTags: ['amenity=school'],
  },
  {
    code: 'bench',
    label: { nl: 'Bankje', en: 'Bench' },
    group: 'rest_point',
    meetingPlace: false,
    osmTags: ['amenity=bench'],
  },
  {
    code: 'picnic_table',
    label: { nl: 'Picknickbank', en: 'Picnic table' },
    group: 'rest_point',
    meetingPlace: false,
    osmTags: ['leisure=picnic_table'],
  },
  {
    code: 'initiative',
    label: { nl: 'Initiatief', en: 'Initiative' },
    group: 'initiative',
    meetingPlace: true,
    osmTags: [],
  },
] as const satisfies readonly KindDefinition[]

export type KindCode = (typeof KINDS)[number]['code']

export const KIND_CODES = KINDS.map((k) => k.code) as [KindCode, ...KindCode[]]

const byCode = new Map<string, KindDefinition>(KINDS.map((k) => [k.code, k]))

export function isKindCode(value: string): value is KindCode {
  return byCode.has(value)
}

/** The default `is_meeting_place` for a kind. Throws for an unknown kind. */
export function defaultMeetingPlace(kind: KindCode): boolean {
  const def = byCode.get(kind)
  if (!def) throw new Error(`unknown kind ${kind}`)
  return def.meetingPlace
}

/** Target groups of initiatives (DOMAIN.md glossary). */
export const TARGET_GROUPS = [
  { code: 'everyone', label: { nl: 'Iedereen', en: 'Everyone' } },
  { code: 'elderly', label: { nl: 'Ouderen', en: 'Older people' } },
  { code: 'youth', label: { nl: 'Jongeren', en: 'Young people' } },
  { code: 'children', label: { nl: 'Kinderen', en: 'Children' } },
  { code: 'families', label: { nl: 'Gezinnen', en: 'Families' } },
  { code: 'disability', label: { nl: 'Mensen met een beperking', en: 'People with a disability' } },
  {
    code: 'lvb',
    label: { nl: 'Mensen met een LVB', en: 'People with a mild intellectual disability' },
  },
  { code: 'nah', label: { nl: 'Mensen met NAH', en: 'People with acquired brain injury' } },
  {
    code: 'ggz',
    label: {
      nl: 'Mensen met psychische kwetsbaarheid (GGZ)',
      en: 'People with mental health needs',
    },
  },
  { code: 'newcomers', label: { nl: 'Nieuwkomers', en: 'Newcomers' } },
] as const

export type TargetGroupCode = (typeof TARGET_GROUPS)[number]['code']
export const TARGET_GROUP_CODES = TARGET_GROUPS.map((g) => g.code) as [
  TargetGroupCode,
  ...TargetGroupCode[],
]
