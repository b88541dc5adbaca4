import { createWriteStream } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { setTimeout as sleep } from 'node:timers/promises'
import { DomainError, invalidInput, serviceUnavailable } from '../../domain/errors.js'
import { PROBLEM, REASON, type Bilingual } from '../../domain/messages.js'
import { DEFAULT_MAX_OSM_BYTES, sizeText } from '../osm-reader.js'

/** How the downloader reaches the network; tests pass one that talks to a local server. */
export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts?: number
  /** First wait (ms) after a 429/5xx or a dropped connection; doubles each time (with jitter). */
  readonly backoffMs?: number
  /** Longest single wait (ms), also for a server's Retry-After. */
  readonly maxWaitMs?: number
  /** Per-request time limit (ms). */
  readonly timeoutMs?: number
  /** Least wait after a 429 (Overpass asks for 30 s), still capped by `maxWaitMs`. */
  readonly minWaitAfter429Ms?: number
  readonly onRetry?: (info: { url: string; attempt: number; waitMs: number; why: string }) => void
  /**
   * Most bytes a response body may be once fetch has undone its Content-Encoding (gzip, br):
   * reading stops there, without retrying (BUURTKAART_MAX_OSM_BYTES; default 1 GiB).
   */
  readonly maxBytes?: number | undefined
}

const RETRYABLE = new Set([429, 500, 502, 503, 504])

export const downloadFailed = (url: string, why: Bilingual, extra: Record<string, unknown> = {}) =>
  serviceUnavailable(PROBLEM.downloadFailed(url, why), { extra: { url, ...extra } })

export const downloadTooLarge = (url: string, limit: number, received: number) =>
  invalidInput(PROBLEM.downloadTooLarge(url, sizeText(limit)), {
    extra: { url, limit_bytes: limit, received_bytes: received },
  })

/** Passes a body's bytes on until they would pass `limit`, then fails with `downloadTooLarge`. */
function limitedBody(url: string, limit: number, onBytes?: (bytes: number) => void): Transform {
  let received = 0
  return new Transform({
    transform(chunk: Buffer, _enc, next) {
      if (received + chunk.length > limit) return next(downloadTooLarge(url, limit, received))
      received += chunk.length
      onBytes?.(received)
      next(null, chunk)
    },
  })
}

/** A response body as text, read within `limit` bytes (a leading BOM dropped, as `text()`). */
async function limitedText(res: Response, url: string, limit: number): Promise<string> {
  if (!res.body) return ''
  const chunks: Buffer[] = []
  // pipeline() ends both streams (and cancels the response) when the limit fails the read.
  await pipeline(
    Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
    limitedBody(url, limit),
    async (body: AsyncIterable<Buffer>) => {
      for await (const chunk of body) chunks.push(chunk)
    },
  )
  return new TextDecoder().decode(Buffer.concat(chunks))
}

/** Seconds or an HTTP date in Retry-After, as milliseconds. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/**
 * Fetches with polite retries: 429 and 5xx answers and dropped connections are retried with
 * exponential back-off (honouring Retry-After); other HTTP errors fail at once. The body is read
 * here, so a connection that breaks halfway is retried as well. Fails with a DomainError that
 * says what happened (offline, HTTP status, timeout).
 */
export async function fetchText(
  fetcher: Fetcher,
  url: string,
  init: RequestInit = {},
  options: RetryOptions = {},
): Promise<{ text: string; headers: Headers }> {
  const attempts = options.attempts ?? 5
  const backoff = options.backoffMs ?? 1000
  const maxWait = options.maxWaitMs ?? 60_000
  let last: { status?: number; why: string } = { why: 'not tried' }
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait = Math.min(maxWait, backoff * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5))
    try {
      const res = await fetcher(url, {
        ...init,
        signal: AbortSignal.timeout(options.timeoutMs ?? 300_000),
      })
      if (res.ok) {
        const text = await limitedText(res, url, options.maxBytes ?? DEFAULT_MAX_OSM_BYTES)
        return { text, headers: res.headers }
      }
      await res.body?.cancel().catch(() => {})
      last = { status: res.status, why: `HTTP ${res.status}` }
      if (!RETRYABLE.has(res.status)) break
      const asked = retryAfterMs(res.headers.get('retry-after'))
      if (asked !== undefined) wait = Math.max(wait, asked)
      if (res.status === 429) wait = Math.max(wait, options.minWaitAfter429Ms ?? 0)
      wait = Math.min(maxWait, wait)
    } catch (e) {
      // Too large is an answer, not a hiccup: asking again would only fetch it again.
      if (e instanceof DomainError) throw e
      const error = e as Error & { cause?: { code?: string } }
      last = {
        why:
          error.name === 'TimeoutError'
            ? 'timeout'
            : (error.cause?.code ?? error.message ?? 'connection failed'),
      }
    }
    if (attempt < attempts) {
      options.onRetry?.({ url, attempt, waitMs: Math.round(wait), why: last.why })
      await sleep(wait)
    }
  }
  if (last.status !== undefined) {
    throw downloadFailed(
      url,
      REASON.httpStatus(last.status, RETRYABLE.has(last.status) ? attempts : null),
      { status: last.status },
    )
  }
  throw downloadFailed(url, REASON.unreachable(last.why, attempts))
}

/**
 * Streams a (large, binary) download to `file`, with the same retries as `fetchText`: a
 * connection that breaks halfway starts the file again. Reports bytes as they arrive.
 */
export async function fetchToFile(
  fetcher: Fetcher,
  url: string,
  file: string,
  init: RequestInit = {},
  options: RetryOptions & { onBytes?: (bytes: number) => void } = {},
): Promise<number> {
  let written = 0
  const wrapped: Fetcher = async (u, i) => {
    const res = await fetcher(u, i)
    if (!res.ok || !res.body) return res
    written = 0
    await pipeline(
      Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      limitedBody(url, options.maxBytes ?? DEFAULT_MAX_OSM_BYTES, (bytes) => {
        written = bytes
        options.onBytes?.(bytes)
      }),
      createWriteStream(file),
    )
    // Handled: fetchText reads an empty body from this stand-in response.
    return new Response('', { status: 200 })
  }
  await fetchText(wrapped, url, init, options)
  return written
}
