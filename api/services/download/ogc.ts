import { serviceUnavailable } from '../../domain/errors.js'
import { PROBLEM, REASON, type Bilingual } from '../../domain/messages.js'
import { fetchText, type Fetcher, type RetryOptions } from './http.js'

export interface GeoJsonFeature {
  readonly type: 'Feature'
  readonly id?: string | number
  readonly geometry: unknown
  readonly properties: Record<string, unknown>
}

const schemaChanged = (url: string, what: Bilingual) =>
  serviceUnavailable(PROBLEM.sourceChanged(url, what), { extra: { url } })

export { schemaChanged }

/**
 * All features of an OGC API Features `items` query, following the `next` links page by page
 * (OGC API Features Part 1, "links" with rel="next"). Fails when a page is no FeatureCollection
 * or the paging loops.
 */
export async function fetchAllFeatures(
  fetcher: Fetcher,
  firstUrl: string,
  options: RetryOptions & {
    onPage?: (info: { page: number; features: number; bytes: number }) => void
    maxPages?: number
  } = {},
): Promise<{ features: GeoJsonFeature[]; pages: number; bytes: number }> {
  const features: GeoJsonFeature[] = []
  const seen = new Set<string>()
  let url: string | undefined = firstUrl
  let bytes = 0
  let page = 0
  while (url) {
    if (seen.has(url) || page >= (options.maxPages ?? 10_000)) {
      throw schemaChanged(url, REASON.pagesLoop)
    }
    seen.add(url)
    const { text } = await fetchText(
      fetcher,
      url,
      { headers: { accept: 'application/geo+json, application/json' } },
      options,
    )
    bytes += Buffer.byteLength(text)
    let body: { type?: unknown; features?: unknown; links?: unknown }
    try {
      body = JSON.parse(text) as typeof body
    } catch {
      throw schemaChanged(url, REASON.notJson)
    }
    if (body.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
      throw schemaChanged(url, REASON.notFeatureCollection)
    }
    for (const f of body.features as GeoJsonFeature[]) {
      if (f?.type !== 'Feature' || typeof f.properties !== 'object' || f.properties === null) {
        throw schemaChanged(url, REASON.notFeature)
      }
      features.push(f)
    }
    page++
    options.onPage?.({ page, features: features.length, bytes })
    const links = Array.isArray(body.links) ? (body.links as { rel?: string; href?: string }[]) : []
    const next = links.find((l) => l.rel === 'next' && typeof l.href === 'string')?.href
    url = next ? new URL(next, url).toString() : undefined
  }
  return { features, pages: page, bytes }
}

/** Refuses features that lack a property the import needs: the service's schema changed. */
export function requireProperties(
  url: string,
  features: readonly GeoJsonFeature[],
  names: readonly string[],
): void {
  if (features.length === 0) return
  const present = new Set(Object.keys(features[0]!.properties))
  const missing = names.filter((n) => !present.has(n))
  if (missing.length > 0) {
    throw schemaChanged(
      url,
      REASON.fieldsMissing(missing.join(', '), [...present].slice(0, 12).join(', ')),
    )
  }
}
