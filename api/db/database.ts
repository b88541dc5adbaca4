import type { ColumnType, Generated, Kysely, Transaction } from 'kysely'

declare const geometryBrand: unique symbol
declare const jsonbBrand: unique symbol
/** A value only the helpers in `postgis.ts` produce: a PostGIS geometry expression. */
export interface GeometryValue {
  readonly [geometryBrand]: true
}
/** A value only `jsonb()` in `postgis.ts` produces. */
export interface JsonbValue {
  readonly [jsonbBrand]: true
}

/** PostGIS geometry: never selected raw; read and written through the helpers in `postgis.ts`. */
export type Geometry = ColumnType<unknown, GeometryValue, GeometryValue>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface AreasTable {
  code: string
  level: 'gemeente' | 'wijk' | 'buurt' | 'pc4'
  name: string
  gemeente_code: string | null
  parent_code: string | null
  inhabitants: number | null
  inhabitants_year: number | null
  source: string
  geom: Geometry
  imported_at: Timestamp
}

export interface AssetsTable {
  id: string
  name: string
  kind: string
  is_meeting_place: boolean
  geom: Geometry
  address: string | null
  description: string | null
  organisation: string | null
  contact_name: string | null
  contact_email: string | null
  contact_phone: string | null
  verified_by_role: string | null
  target_groups: string[]
  activities: string[]
  opening_hours: string | null
  wheelchair: string
  free_entry: boolean | null
  capacity: number | null
  status: string
  location_precision: string
  source: string
  source_ref: string | null
  gemeente_code: string | null
  wijk_code: string | null
  buurt_code: string | null
  pc4_code: string | null
  verified_at: ColumnType<Date | null, Date | string | null, Date | string | null>
  created_at: Timestamp
  created_by: string
  updated_at: Timestamp
  updated_by: string
  version: number
  deleted_at: ColumnType<Date | null, Date | string | null, Date | string | null>
  deleted_by: string | null
}

export interface AssetHistoryTable {
  id: Generated<number>
  asset_id: string
  version: number
  action: 'create' | 'update' | 'delete' | 'restore' | 'import' | 'revert'
  actor: string
  at: Timestamp
  before: ColumnType<unknown, JsonbValue, never>
  after: ColumnType<unknown, JsonbValue, never>
  proposal_id: ColumnType<string | null, string | null | undefined, never>
  note: ColumnType<string | null, string | null | undefined, never>
}

export interface DataVersionTable {
  id: number
  assets: number
  areas: number
  network: Generated<number>
}

export interface NetworkNodesTable {
  id: number
  osm_id: number
  geom: Geometry
}

export interface NetworkEdgesTable {
  id: number
  profile: 'walk' | 'bike'
  source: number
  target: number
  /** Metres (plus penalty); negative: not allowed in this direction (pgRouting convention). */
  cost: number
  reverse_cost: number
  length_m: number
  penalty_m: Generated<number>
  osm_way_id: number
  highway: string
  geom: Geometry
}

export interface NetworkMetaTable {
  profile: 'walk' | 'bike'
  nodes: number
  edges: number
  source: ColumnType<unknown, JsonbValue, JsonbValue>
  settings: ColumnType<unknown, JsonbValue, JsonbValue>
  imported_at: Timestamp
}

export interface OsmSyncTable {
  asset_id: string
  osm_ref: string
  osm_version: number | null
  snapshot: ColumnType<unknown, JsonbValue, JsonbValue>
  synced_at: Timestamp
}

export interface PopulationMetaTable {
  id: number
  /** The finest administrative level the surface is spread from (the units). */
  source_level: string
  sources: ColumnType<unknown, JsonbValue, JsonbValue>
  inhabitants: number
  areas_version: number
  built_at: Timestamp
  /** The model the surface was built with; an older one is rebuilt at start. */
  model_version: Generated<number>
  /** The year of the counts the surface holds (null: the units' counts are of several years). */
  year: number | null
  /** How it was built: the ancillary layers used, the habitable-land rule (see rebuildSurface). */
  model: ColumnType<unknown, JsonbValue | undefined, JsonbValue>
}

export interface AreaCountsTable {
  code: string
  year: number
  inhabitants: number
  source: string
  imported_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** Per administrative area: its official count and what the surface holds before scaling. */
export interface PopulationControlsTable {
  code: string
  level: string
  year: number | null
  official: number
  surface: number
}

export interface PopulationCellsTable {
  res: number
  cell: string
  inhabitants: number
  lon: number
  lat: number
  x: number
  y: number
}

export interface PopulationPortionsTable {
  res: number
  cell: string
  /** The finest administrative area (a wijk, or a buurt) whose inhabitants these are. */
  unit_code: string
  gemeente_code: string | null
  wijk_code: string | null
  buurt_code: string | null
  pc4_code: string | null
  inhabitants: number
}

type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>

export type RoleName = 'contributor' | 'trusted' | 'moderator' | 'admin'

export interface UsersTable {
  id: string
  email: string | null
  display_name: string
  role: RoleName
  password_hash: string | null
  created_at: Timestamp
  disabled_at: NullableTimestamp
  deleted_at: NullableTimestamp
}

export interface SessionsTable {
  id_hash: string
  user_id: string
  csrf_token: string
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface ApiTokensTable {
  id: string
  user_id: string
  name: string
  role: RoleName
  token_hash: string
  created_at: Timestamp
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
  /** Null for tokens made before expiry existed; the configured maximum holds for them too. */
  expires_at: NullableTimestamp
}

export interface LoginFailuresTable {
  id: Generated<number>
  key_hash: string
  at: Timestamp
}

export interface SettingsTable {
  key: string
  value: ColumnType<unknown, JsonbValue, JsonbValue>
  updated_at: Timestamp
  updated_by: string
}

export interface ProposalsTable {
  id: string
  action: 'create' | 'update' | 'delete'
  asset_id: string | null
  base_version: number | null
  payload: ColumnType<unknown, JsonbValue | null, JsonbValue | null>
  before: ColumnType<unknown, JsonbValue | null, JsonbValue | null>
  proposer_id: string | null
  proposer_address_hash: string | null
  note: string | null
  status: 'pending' | 'approved' | 'rejected'
  created_at: Timestamp
  decided_by: string | null
  decided_at: NullableTimestamp
  reason: string | null
  result_asset_id: string | null
  result_version: number | null
}

export interface AuditLogTable {
  id: Generated<number>
  at: Timestamp
  actor: string
  action: string
  subject: string | null
  before: ColumnType<unknown, JsonbValue | null, never>
  after: ColumnType<unknown, JsonbValue | null, never>
}

export interface ScenariosTable {
  id: string
  name: string
  area_code: string
  mode: 'line' | 'walk' | 'bike'
  threshold_m: number
  res: number
  add: ColumnType<unknown, JsonbValue, JsonbValue>
  close: ColumnType<unknown, JsonbValue, JsonbValue>
  created_by: string
  created_at: Timestamp
}

export interface DB {
  areas: AreasTable
  assets: AssetsTable
  asset_history: AssetHistoryTable
  data_version: DataVersionTable
  population_meta: PopulationMetaTable
  population_cells: PopulationCellsTable
  population_portions: PopulationPortionsTable
  population_controls: PopulationControlsTable
  area_counts: AreaCountsTable
  network_nodes: NetworkNodesTable
  network_edges: NetworkEdgesTable
  network_meta: NetworkMetaTable
  osm_sync: OsmSyncTable
  users: UsersTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  login_failures: LoginFailuresTable
  settings: SettingsTable
  proposals: ProposalsTable
  audit_log: AuditLogTable
  scenarios: ScenariosTable
}

export type Database = Kysely<DB>

/** A database or a transaction: every repository function takes one first. */
export type Executor = Database | Transaction<DB>
