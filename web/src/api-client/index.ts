/** The only module that knows the API's URLs. */

export interface FeatureCollection {
  type: 'FeatureCollection'
  features: {
    type: 'Feature'
    id?: string
    geometry: unknown
    properties: Record<string, unknown>
  }[]
}

export interface Kind {
  code: string
  label: { nl: string; en: string }
  is_meeting_place: boolean
}

export type HexMetric = 'population' | 'density' | 'distance' | 'gap'

/** Compact cell data: parallel arrays, one entry per H3 cell. */
export interface Hexes {
  metric: HexMetric
  res: number
  count: number
  cells: string[]
  inhabitants?: number[]
  distanceM?: (number | null)[]
  severity?: (number | null)[]
  total?: number[]
  meetingPlaces?: number[]
  inputs?: { thresholdM?: number; mode?: string; places?: { counted: number } }
}

/** An error the API explained (problem+json), with its message in Dutch. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, {
    headers: { accept: 'application/json', 'accept-language': 'nl' },
    signal,
  })
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string }
    throw new ApiError(res.status, problem.detail ?? `${url}: HTTP ${res.status}`)
  }
  return (await res.json()) as T
}

export const api = {
  gemeenten: () => getJson<FeatureCollection>('/api/areas?level=gemeente'),
  kinds: () => getJson<{ kinds: Kind[] }>('/api/kinds').then((r) => r.kinds),
  hexes: (
    q: {
      metric: HexMetric
      res: number
      mode: string
      threshold: number
      bbox: [number, number, number, number]
    },
    signal?: AbortSignal,
  ) =>
    getJson<Hexes>(
      `/api/hexes?${new URLSearchParams({
        metric: q.metric,
        res: String(q.res),
        mode: q.mode,
        threshold: String(q.threshold),
        bbox: q.bbox.map((v) => v.toFixed(5)).join(','),
      }).toString()}`,
      signal,
    ),
  /** Every live asset, following the cursor pages. */
  async allAssets(): Promise<FeatureCollection> {
    const features: FeatureCollection['features'] = []
    let url: string | undefined = '/api/assets?limit=1000'
    while (url) {
      const page: FeatureCollection & { links: { rel: string; href: string }[] } =
        await getJson(url)
      features.push(...page.features)
      url = page.links.find((l) => l.rel === 'next')?.href
    }
    return { type: 'FeatureCollection', features }
  },
}
