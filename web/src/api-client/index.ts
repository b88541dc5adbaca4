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

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } })
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  return (await res.json()) as T
}

export const api = {
  gemeenten: () => getJson<FeatureCollection>('/api/areas?level=gemeente'),
  kinds: () => getJson<{ kinds: Kind[] }>('/api/kinds').then((r) => r.kinds),
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
