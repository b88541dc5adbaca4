import { z } from 'zod'
import { AREA_LEVELS } from '../domain/areas.js'
import { PRECISIONS, STATUSES, WHEELCHAIR } from '../domain/asset.js'
import { KIND_CODES, TARGET_GROUP_CODES } from '../domain/kinds.js'
import { MODES } from '../domain/reach.js'
import { ROLES } from '../domain/roles.js'
import { settingsSchema } from '../services/settings.js'
import {
  assetCollectionSchema,
  assetFeatureSchema,
  assetPropertiesSchema,
  problemSchema,
} from './schemas.js'

/**
 * What the API answers: the response bodies of every route, as Zod schemas for the OpenAPI
 * document and as types (`z.infer`) for clients, which `import type` them from here. Request
 * schemas stay beside their routes (and in `domain/asset.ts`), where they validate.
 */

/**
 * A named (component) schema or null. Not `.nullable()`, which the generator writes as allOf
 * of the component and a null type, which no null matches.
 */
const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()])

const time = z.string().meta({ description: 'ISO 8601 time (UTC)' })
const bilingual = z.object({ nl: z.string(), en: z.string() })

export { assetCollectionSchema, assetFeatureSchema, problemSchema }

// Meta

export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.object({
    reachable: z.boolean(),
    backend: z.enum(['pglite', 'postgresql']),
    postgis: z.string(),
    migration: z.string().nullable(),
  }),
})

const coded = <T extends readonly [string, ...string[]]>(codes: T) =>
  z.array(z.object({ code: z.enum(codes), label: bilingual }))

export const kindsSchema = z.object({
  kinds: z.array(
    z.object({
      code: z.enum(KIND_CODES),
      label: bilingual,
      group: z.string(),
      is_meeting_place: z.boolean(),
      osm_tags: z.array(z.string()).readonly(),
    }),
  ),
  target_groups: z
    .array(z.object({ code: z.enum(TARGET_GROUP_CODES), label: bilingual }))
    .readonly(),
  wheelchair: coded(WHEELCHAIR),
  status: coded(STATUSES),
  location_precision: coded(PRECISIONS),
})

export const openingHoursSchema = z
  .object({
    opening_hours: z.string().meta({
      description: 'The OpenStreetMap opening_hours value the register would store',
      example: 'Tu-Th 10:00-16:00',
    }),
    notation: z.enum(['osm', 'dutch']).meta({
      description: 'osm: the text was OSM syntax and is kept; dutch: it was converted',
    }),
  })
  .meta({ id: 'OpeningHours' })

export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(
      z.string(),
      z.record(z.string(), z.unknown().meta({ description: 'An OpenAPI operation' })),
    ),
  })
  .meta({ description: 'This OpenAPI 3.1 document' })

// Accounts

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable().meta({ description: 'Null once the account is anonymised' }),
    display_name: z.string(),
    role: z.enum(ROLES),
    created_at: time,
    disabled_at: time.nullable(),
    deleted_at: time.nullable(),
  })
  .meta({ id: 'User' })

export { settingsSchema }

export const meSchema = z.object({
  user: orNull(userSchema),
  role: z.enum(ROLES).nullable(),
  csrf_token: z.string().nullable().meta({ description: 'Send as X-CSRF-Token on changes' }),
  settings: settingsSchema,
})

export const loginSchema = z.object({
  user: userSchema,
  role: z.enum(ROLES),
  csrf_token: z.string(),
})

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(ROLES),
    created_at: time,
    last_used_at: time.nullable(),
    revoked_at: time.nullable(),
    expires_at: time,
  })
  .meta({ id: 'ApiToken' })

export const tokenListSchema = z.object({ tokens: z.array(apiTokenSchema) })

export const createdTokenSchema = z.object({
  token: apiTokenSchema,
  secret: z.string().meta({ description: 'The bearer token; shown this once' }),
})

export const userListSchema = z.object({ users: z.array(userSchema) })

/** Anything an audit entry or an export recorded: JSON as it was stored. */
const recorded = z.unknown().meta({ description: 'What was recorded (any JSON), or null' })

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: time,
    actor: z.string(),
    actor_name: z.string().nullable(),
    action: z.string(),
    subject: z.string().nullable(),
    before: recorded,
    after: recorded,
  })
  .meta({ id: 'AuditEntry' })

export const auditSchema = z.object({ entries: z.array(auditEntrySchema) })

const historyAction = z.enum(['create', 'update', 'delete', 'restore', 'import', 'revert'])

/** An asset as stored (flat, not a Feature): in a personal export. */
const storedAsset = assetPropertiesSchema
  .omit({ possibly_outdated: true })
  .extend({ id: z.uuid(), lon: z.number(), lat: z.number(), deleted_by: z.string().nullable() })
  .partial()
  .meta({ description: 'The asset as stored' })

export const userExportSchema = z.object({
  exported_at: time,
  account: userSchema,
  sessions: z.array(
    z.object({ created_at: time.nullable(), last_seen_at: time.nullable(), expires_at: time }),
  ),
  api_tokens: z.array(apiTokenSchema.extend({ expires_at: time.nullable() })),
  proposals: z.array(
    z.object({
      id: z.uuid(),
      action: z.enum(['create', 'update', 'delete']),
      asset_id: z.uuid().nullable(),
      status: z.enum(['pending', 'approved', 'rejected']),
      note: z.string().nullable(),
      created_at: time,
      decided_at: time.nullable(),
      reason: z.string().nullable(),
    }),
  ),
  changes: z.array(
    z.object({
      id: z.number().int(),
      asset_id: z.uuid(),
      version: z.number().int(),
      action: historyAction,
      actor: z.string(),
      actor_name: z.string().nullable(),
      at: time,
      before: storedAsset.nullable(),
      after: storedAsset.nullable(),
      proposal_id: z.uuid().nullable(),
      note: z.string().nullable(),
    }),
  ),
  audit: z.array(auditEntrySchema),
})

// Proposals and history

export const proposalSchema = z
  .object({
    id: z.uuid(),
    action: z.enum(['create', 'update', 'delete']),
    asset_id: z.uuid().nullable(),
    base_version: z.number().int().nullable(),
    status: z.enum(['pending', 'approved', 'rejected']),
    proposer: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }),
    note: z.string().nullable(),
    created_at: time,
    before: orNull(assetFeatureSchema).meta({ description: 'Null for a new place' }),
    after: orNull(assetFeatureSchema).meta({ description: 'Null for a deletion' }),
    decided_by: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
    decided_at: time.nullable(),
    reason: z.string().nullable(),
    result_version: z.number().int().nullable(),
  })
  .meta({ id: 'Proposal' })

export const queuedSchema = z
  .object({
    proposal: z.union([
      proposalSchema,
      z.object({ id: z.uuid(), status: z.literal('pending') }).meta({
        description: 'What an anonymous suggestion is told',
      }),
    ]),
  })
  .meta({ description: 'Queued for a moderator' })

export const proposalListSchema = z.object({ proposals: z.array(proposalSchema) })

export const approvedSchema = z.object({ proposal: proposalSchema, asset: assetFeatureSchema })

export const rejectedSchema = z.object({ proposal: proposalSchema })

export const historyEntrySchema = z
  .object({
    asset_id: z.uuid(),
    version: z.number().int(),
    action: historyAction,
    actor: z.string().meta({ description: '`user:<id>`, `user` for visitors, or a label' }),
    actor_name: z.string().nullable(),
    at: time,
    before: orNull(assetFeatureSchema),
    after: orNull(assetFeatureSchema),
    proposal_id: z.uuid().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'HistoryEntry' })

export const historySchema = z.object({
  asset_id: z.string(),
  entries: z.array(historyEntrySchema),
})

export const changesSchema = z.object({
  entries: z.array(historyEntrySchema.extend({ id: z.number().int() })),
})

// Transfer

const fieldErrorSchema = z.object({
  pointer: z.string(),
  in: z.enum(['body', 'query', 'path', 'header']).optional(),
  code: z.string(),
  message: bilingual,
})

export const importReportSchema = z.object({
  dry_run: z.boolean(),
  source: z.string(),
  total: z.number().int(),
  valid: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped_deleted: z.number().int(),
  ignored_fields: z.array(z.string()),
  errors: z.array(
    z.object({
      row: z.number().int(),
      source_ref: z.string().nullable(),
      errors: z.array(fieldErrorSchema),
    }),
  ),
})

// Areas

const polygon = z
  .object({
    type: z.enum(['Polygon', 'MultiPolygon']),
    coordinates: z.array(
      z.unknown().meta({
        description:
          'A ring of [lon, lat] positions (Polygon), or a polygon of rings (MultiPolygon)',
      }),
    ),
  })
  .meta({ description: 'GeoJSON Polygon or MultiPolygon (WGS84)' })

const areaProperties = z.object({
  code: z.string(),
  level: z.enum(AREA_LEVELS),
  name: z.string(),
  gemeente_code: z.string().nullable(),
  parent_code: z.string().nullable(),
  inhabitants: z.number().int().nullable(),
  inhabitants_year: z.number().int().nullable(),
  source: z.string(),
  imported_at: time,
})

export const areaCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string(),
      geometry: polygon,
      properties: areaProperties,
    }),
  ),
})

export const areaFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: polygon,
  properties: areaProperties.extend({
    area_km2: z.number().meta({ description: 'Land and water area in km² (RD New)' }),
    active_assets_by_kind: z.record(z.string(), z.number().int()),
  }),
})

// Analysis

const areaRef = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum([...AREA_LEVELS, 'province']),
})

/** The inputs of a figure: what it was computed on, so a reader can check and cite it. */
const figureInputs = z
  .looseObject({
    population: z.looseObject({ year: z.number().int().nullable() }),
    resolution: z.number().int(),
    mode: z.enum(MODES),
    thresholdM: z.number(),
    distance: z.string(),
    places: z.looseObject({ filter: z.record(z.string(), z.string()) }),
    dataVersion: z.looseObject({ data: z.string(), fingerprint: z.string() }),
    computedAt: time,
  })
  .meta({
    description:
      'Inputs of the figures: population model, resolution, mode, threshold, distance method, network, which places count, data versions',
  })

export const coverageSchema = z
  .looseObject({
    area: areaRef,
    inhabitants: z.number(),
    inhabitantsYear: z.number().int().nullable(),
    inhabitantsWithin: z.number(),
    share: z.number().nullable(),
    unreachableInhabitants: z.number(),
    places: z.number().int(),
    placesPer10k: z.number().nullable(),
    meanDistanceM: z.number().nullable(),
    meanPlacesWithin: z.object({
      '1km': z.number().nullable(),
      '3km': z.number().nullable(),
      '5km': z.number().nullable(),
    }),
    bands: z.array(
      z.looseObject({ fromM: z.number(), toM: z.number().nullable(), inhabitants: z.number() }),
    ),
    gapCount: z.number().int(),
    gapInhabitants: z.number(),
    gapAreaCount: z.number().int(),
    gapAreas: z.array(
      z.looseObject({ id: z.string(), rank: z.number().int(), inhabitants: z.number() }),
    ),
    gaps: z.array(
      z.object({
        cell: z.string(),
        lon: z.number().nullable(),
        lat: z.number().nullable(),
        inhabitants: z.number(),
        distanceM: z.number().nullable(),
        severity: z.number().nullable(),
        wijk: z.object({ code: z.string(), name: z.string() }).nullable(),
        buurt: z.object({ code: z.string(), name: z.string() }).nullable(),
        pc4: z.string().nullable(),
      }),
    ),
    inputs: figureInputs,
  })
  .meta({ description: 'Coverage figures of an area with gaps, gap areas and inputs' })

const column = <T extends z.ZodType>(of: T) => z.array(of.nullable()).optional()

export const hexesSchema = z
  .object({
    metric: z.enum(['population', 'density', 'distance', 'gap', 'detour']),
    res: z.number().int(),
    count: z.number().int(),
    cells: z
      .array(z.string())
      .readonly()
      .meta({ description: 'H3 indexes; the other arrays are parallel' }),
    inhabitants: column(z.number()),
    distanceM: column(z.number()),
    withinShare: column(z.number()),
    unreachable: column(z.boolean()),
    unreachableInhabitants: column(z.number()),
    straightM: column(z.number()),
    detour: column(z.number()),
    totalInhabitants: column(z.number()),
    severity: column(z.number()),
    total: z.array(z.number().int()).optional().meta({ description: 'density: places per cell' }),
    meetingPlaces: z.array(z.number().int()).optional(),
    byKind: z.array(z.record(z.string(), z.number().int())).optional(),
    inputs: z.looseObject({}).meta({ description: 'As in /api/coverage (density: the filter)' }),
  })
  .meta({ description: 'Cells of one metric as parallel arrays' })

export const countedSchema = z.object({
  count: z.number().int(),
  ids: z.array(z.uuid()),
  inputs: z.object({ places: z.object({ filter: z.record(z.string(), z.string()) }) }),
})

// Planning

const proposedPlace = z.object({
  lon: z.number(),
  lat: z.number(),
  kind: z.enum(KIND_CODES),
  name: z.string().optional(),
})

export const scenarioSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    area: z.string(),
    mode: z.enum(MODES),
    thresholdM: z.number(),
    res: z.number().int(),
    add: z.array(proposedPlace),
    close: z.array(z.uuid()),
    created_at: time,
  })
  .meta({ id: 'Scenario' })

export const scenarioListSchema = z.object({ scenarios: z.array(scenarioSchema) })

const changedCell = z.object({
  cell: z.string(),
  inhabitants: z.number(),
  beforeM: z.number().nullable(),
  afterM: z.number().nullable(),
  gained: z.boolean(),
  lost: z.boolean(),
})

export const scenarioPreviewSchema = z.object({
  area: areaRef,
  inhabitants: z.number(),
  withinToday: z.number(),
  withinAfter: z.number(),
  gained: z.number(),
  cells: z.array(changedCell),
  inputs: z.object({
    mode: z.enum(MODES),
    thresholdM: z.number(),
    resolution: z.number().int(),
    added: z.number().int(),
    closed: z.number().int(),
  }),
})

export const suggestionsSchema = z.object({
  area: areaRef,
  inhabitants: z.number(),
  withinToday: z.number(),
  suggestions: z.array(
    z.object({
      rank: z.number().int(),
      lon: z.number().nullable(),
      lat: z.number().nullable(),
      cell: z.string().nullable(),
      asset: z.looseObject({ id: z.uuid() }).nullable(),
      gain: z.number(),
      withinAfter: z.number(),
      shareAfter: z.number().nullable(),
    }),
  ),
  inputs: z.object({
    mode: z.enum(MODES),
    thresholdM: z.number(),
    resolution: z.number().int(),
    distance: z.string(),
    candidates: z.object({
      kind: z.enum(['cells', 'assets']),
      considered: z.number().int(),
      limit: z.number().int(),
      kinds: z.array(z.enum(KIND_CODES)).nullable(),
    }),
    method: z.string(),
    places: z.string(),
    computedAt: time,
    permalink: z.string(),
  }),
})

export const scenarioCoverageSchema = z
  .looseObject({
    scenario: scenarioSchema,
    code: z.string(),
    name: z.string(),
    level: z.string(),
    today: z.looseObject({}),
    withScenario: z.looseObject({}),
    difference: z.object({
      inhabitantsWithin: z.number(),
      share: z.number().nullable(),
      meanDistanceM: z.number().nullable(),
    }),
    areas: z.array(z.looseObject({ code: z.string(), name: z.string() })),
    cells: z.array(changedCell.omit({ lost: true }).extend({ lon: z.number(), lat: z.number() })),
    inputs: z.looseObject({ mode: z.enum(MODES), thresholdM: z.number() }),
  })
  .meta({ description: 'A scenario’s figures beside today’s, for its area and each part of it' })

// Data and network

export const networkSchema = z.object({
  profiles: z.array(
    z.object({
      profile: z.enum(['walk', 'bike']),
      nodes: z.number().int(),
      edges: z.number().int(),
      source: z.object({
        file: z.string(),
        format: z.string(),
        bytes: z.number().int(),
        newestObject: time.nullable(),
        url: z.string().optional(),
        retrievedAt: time.optional(),
        licence: z.string().optional(),
      }),
      settings: z.object({
        ferryPenaltyMin: z.number(),
        ferryPenaltyM: z.record(z.string(), z.number()),
      }),
      importedAt: time,
    }),
  ),
  snapLimitM: z.number(),
  licence: z.string().nullable(),
})

const count = z.object({ nodes: z.number().int(), edges: z.number().int() })

export const osmImportReportSchema = z.object({
  dry_run: z.boolean(),
  file: z.object({
    name: z.string(),
    format: z.string(),
    gzip: z.boolean(),
    bytes: z.number().int(),
  }),
  elements: z.object({
    nodes: z.number().int(),
    ways: z.number().int(),
    relations: z.number().int(),
  }),
  newest_object: time.nullable(),
  network: count
    .extend({
      walk: count,
      bike: count,
      ferries: z.number().int(),
      missing_nodes: z.number().int(),
    })
    .nullable(),
  places: z
    .looseObject({})
    .nullable()
    .meta({ description: 'Places matched, created, updated and left alone' }),
})

export const dataStatusSchema = z.object({
  empty: z.boolean().meta({ description: 'No CBS areas are loaded yet' }),
  regions: z.array(z.object({ code: z.string(), name: z.string() })),
  adminEnabled: z.boolean(),
})

export const downloadJobSchema = z.object({
  id: z.uuid(),
  startedAt: time,
  status: z.enum(['running', 'done', 'failed']),
  progress: z.array(z.looseObject({ step: z.enum(['areas', 'osm', 'cached', 'retry', 'import']) })),
  finishedAt: time.optional(),
  report: z
    .looseObject({
      target: z.object({ gemeenten: z.array(z.string()), bbox: z.array(z.number()) }),
      downloads: z.array(z.looseObject({ name: z.string(), url: z.string() })),
      areas: z.looseObject({ imported: z.number().int() }).nullable(),
      osm: osmImportReportSchema.nullable(),
    })
    .optional(),
  error: z.object({ title: bilingual, detail: bilingual }).optional(),
})

// Reports

export const reportSchema = z
  .looseObject({
    area: areaRef,
    lang: z.enum(['nl', 'en']),
    modes: z.array(z.enum(MODES)),
    primary: z.enum(MODES),
    thresholds: z.record(z.string(), z.number()),
    figures: z.record(
      z.string(),
      z.looseObject({ area: z.looseObject({}), province: z.looseObject({}) }),
    ),
    permalink: z.string(),
    generatedAt: time,
  })
  .meta({ description: 'The gap report’s figures (per mode, area and province), map and inputs' })

export const gapCellsSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: z.object({
          type: z.literal('Polygon'),
          coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))),
        }),
        properties: z.object({
          rank: z.number().int(),
          cell: z.string(),
          inhabitants: z.number(),
          distance_m: z.number().int().nullable(),
          mode: z.enum(MODES),
          threshold_m: z.number(),
          resolution: z.number().int(),
        }),
      }),
    ),
    numberMatched: z.number().int(),
    numberReturned: z.number().int(),
    links: z.array(z.object({ rel: z.string(), type: z.string(), href: z.string() })),
    properties: z.object({ area: areaRef }),
  })
  .meta({ description: 'Gap cells as hexagons, most severe first, one page' })

export type Problem = z.infer<typeof problemSchema>
export type Health = z.infer<typeof healthSchema>
export type Kinds = z.infer<typeof kindsSchema>
export type User = z.infer<typeof userSchema>
export type Settings = z.infer<typeof settingsSchema>
export type Me = z.infer<typeof meSchema>
export type Login = z.infer<typeof loginSchema>
export type ApiToken = z.infer<typeof apiTokenSchema>
export type TokenList = z.infer<typeof tokenListSchema>
export type CreatedToken = z.infer<typeof createdTokenSchema>
export type UserList = z.infer<typeof userListSchema>
export type AuditEntry = z.infer<typeof auditEntrySchema>
export type Audit = z.infer<typeof auditSchema>
export type UserExport = z.infer<typeof userExportSchema>
export type AssetFeature = z.infer<typeof assetFeatureSchema>
export type AssetCollection = z.infer<typeof assetCollectionSchema>
export type Proposal = z.infer<typeof proposalSchema>
export type Queued = z.infer<typeof queuedSchema>
export type ProposalList = z.infer<typeof proposalListSchema>
export type Approved = z.infer<typeof approvedSchema>
export type Rejected = z.infer<typeof rejectedSchema>
export type HistoryEntry = z.infer<typeof historyEntrySchema>
export type History = z.infer<typeof historySchema>
export type Changes = z.infer<typeof changesSchema>
export type ImportReport = z.infer<typeof importReportSchema>
export type AreaCollection = z.infer<typeof areaCollectionSchema>
export type AreaFeature = z.infer<typeof areaFeatureSchema>
export type Coverage = z.infer<typeof coverageSchema>
export type Hexes = z.infer<typeof hexesSchema>
export type Counted = z.infer<typeof countedSchema>
export type Scenario = z.infer<typeof scenarioSchema>
export type ScenarioList = z.infer<typeof scenarioListSchema>
export type ScenarioPreview = z.infer<typeof scenarioPreviewSchema>
export type Suggestions = z.infer<typeof suggestionsSchema>
export type ScenarioCoverage = z.infer<typeof scenarioCoverageSchema>
export type NetworkStatus = z.infer<typeof networkSchema>
export type OsmImportReport = z.infer<typeof osmImportReportSchema>
export type DataStatus = z.infer<typeof dataStatusSchema>
export type DownloadJob = z.infer<typeof downloadJobSchema>
export type Report = z.infer<typeof reportSchema>
export type GapCells = z.infer<typeof gapCellsSchema>

// OGC API Features (api/http/ogc.ts)

const ogcLink = z
  .object({
    href: z.string(),
    rel: z.string(),
    type: z.string(),
    title: z.string().optional(),
  })
  .meta({ id: 'OgcLink' })

export const ogcLandingSchema = z.object({
  title: z.string(),
  description: z.string(),
  links: z.array(ogcLink),
})

export const ogcConformanceSchema = z.object({ conformsTo: z.array(z.string()) })

export const ogcCollectionSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    itemType: z.literal('feature'),
    links: z.array(ogcLink),
    extent: z.object({
      spatial: z.object({
        bbox: z.array(z.array(z.number())),
        crs: z.string(),
      }),
      temporal: z
        .object({ interval: z.array(z.array(z.string().nullable())), trs: z.string() })
        .optional(),
    }),
    crs: z.array(z.string()).meta({ description: 'The systems `crs` may ask for' }),
    storageCrs: z.string(),
  })
  .meta({ id: 'OgcCollection' })

export const ogcCollectionsSchema = z.object({
  links: z.array(ogcLink),
  collections: z.array(ogcCollectionSchema),
  crs: z.array(z.string()),
})

const ogcGeometry = z
  .looseObject({
    type: z.string(),
    coordinates: z.array(z.unknown().meta({ description: 'Positions' })),
  })
  .meta({ description: 'GeoJSON geometry in the system of the Content-Crs header' })

export const ogcFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: ogcGeometry,
    properties: z.record(z.string(), z.unknown()).meta({
      description: 'The collection’s fields (see its description); never contact details',
    }),
    links: z.array(ogcLink).optional(),
  })
  .meta({ id: 'OgcFeature' })

export const ogcFeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(ogcFeatureSchema),
  links: z.array(ogcLink),
  numberMatched: z.number().int(),
  numberReturned: z.number().int(),
  timeStamp: time,
})
