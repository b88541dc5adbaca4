import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { pipeline as pipe, Transform, type Readable } from 'node:stream'
import { createGunzip, gunzipSync } from 'node:zlib'
import { OSMTransform } from 'osm-pbf-parser-node'
import sax from 'sax'
import { parser as jsonParser } from 'stream-json'
import pick from 'stream-json/filters/pick.js'
import streamArray from 'stream-json/streamers/stream-array.js'
import { DomainError } from '../domain/errors.js'
import type { Tags } from '../domain/network/profiles.js'

/**
 * Streaming readers for OpenStreetMap files: `.osm.pbf` (osm-pbf-parser-node), `.osm` XML (sax)
 * and Overpass JSON (stream-json), each optionally gzipped. They yield batches of elements and
 * never hold the file in memory; a caller that needs several passes reads the file again.
 */

/** Milliseconds since 1970 of an element's last edit, when the file has metadata. */
type Stamp = { timestamp?: number | undefined }

export type OsmElement = Stamp &
  (
    | { type: 'node'; id: number; lon: number; lat: number; tags?: Tags | undefined }
    | {
        type: 'way'
        id: number
        refs: number[]
        tags?: Tags | undefined
        /** Overpass `out geom`: the coordinates of `refs`, when the file has them. */
        geometry?: { lon: number; lat: number }[] | undefined
      }
    | {
        type: 'relation'
        id: number
        members: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[]
        tags?: Tags | undefined
      }
  )

export type OsmFormat = 'pbf' | 'xml' | 'json'

export interface OsmFileInfo {
  readonly format: OsmFormat
  readonly gzip: boolean
  readonly bytes: number
}

/** Bytes read so far of the file (compressed bytes for a gzipped file). */
export type ReadProgress = (bytesRead: number, totalBytes: number) => void

const unreadable = (why: { nl: string; en: string }) =>
  new DomainError(
    'validation_failed',
    { nl: 'Bestand niet te lezen', en: 'Unreadable file' },
    why,
    [{ pointer: '/file', code: 'format', message: why }],
  )

/** Tells the format from the first bytes: PBF's first blob header, `<`, or `{`. */
export async function detectOsmFile(path: string): Promise<OsmFileInfo> {
  const { size } = await stat(path)
  const handle = await open(path, 'r')
  let head: Buffer
  try {
    const buffer = Buffer.alloc(Math.min(size, 64 * 1024))
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    head = buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
  let gzip = false
  if (head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true
    try {
      head = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a partial stream is fine */ })
    } catch {
      throw unreadable({
        nl: 'Het bestand lijkt gzip, maar is niet uit te pakken.',
        en: 'The file looks gzipped but does not decompress.',
      })
    }
  }
  if (!gzip && head.length > 16 && head.subarray(4, 32).includes('OSMHeader')) {
    return { format: 'pbf', gzip, bytes: size }
  }
  const first = head.toString('utf8', 0, Math.min(head.length, 4096)).trimStart()[0]
  if (first === '<') return { format: 'xml', gzip, bytes: size }
  if (first === '{') return { format: 'json', gzip, bytes: size }
  throw unreadable({
    nl: 'Geen OpenStreetMap-bestand: verwacht .osm.pbf, .osm (XML) of Overpass-JSON, eventueel met gzip.',
    en: 'Not an OpenStreetMap file: expected .osm.pbf, .osm (XML) or Overpass JSON, optionally gzipped.',
  })
}

function counting(total: number, onProgress?: ReadProgress): Transform {
  let read = 0
  let reported = 0
  return new Transform({
    transform(chunk: Buffer, _enc, next) {
      read += chunk.length
      if (onProgress && (read - reported > 1 << 20 || read === total)) {
        reported = read
        onProgress(read, total)
      }
      next(null, chunk)
    },
  })
}

function source(path: string, info: OsmFileInfo, onProgress?: ReadProgress): Readable {
  let stream: Readable = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
    counting(info.bytes, onProgress),
  )
  if (info.gzip) stream = stream.pipe(createGunzip())
  return stream
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v))

/** A timestamp as milliseconds: PBF gives numbers, XML and JSON ISO text. */
const stamp = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v
  if (typeof v !== 'string') return undefined
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? undefined : ms
}

async function* readPbf(stream: Readable): AsyncGenerator<OsmElement[]> {
  const parsed = stream.pipe(new OSMTransform({ withTags: true, withInfo: true }))
  stream.on('error', (e) => parsed.destroy(e))
  for await (const items of parsed as AsyncIterable<Record<string, unknown>[]>) {
    const batch: OsmElement[] = []
    for (const item of items) {
      const timestamp = stamp((item.info as { timestamp?: unknown } | undefined)?.timestamp)
      if (item.type === 'node') {
        batch.push({
          type: 'node',
          id: num(item.id),
          lon: num(item.lon),
          lat: num(item.lat),
          tags: item.tags as Tags | undefined,
          timestamp,
        })
      } else if (item.type === 'way') {
        batch.push({
          type: 'way',
          id: num(item.id),
          refs: (item.refs as unknown[]).map(num),
          tags: item.tags as Tags | undefined,
          timestamp,
        })
      } else if (item.type === 'relation') {
        batch.push({
          type: 'relation',
          id: num(item.id),
          members: (
            item.members as { type: 'node' | 'way' | 'relation'; ref: unknown; role: string }[]
          ).map((m) => ({ type: m.type, ref: num(m.ref), role: m.role ?? '' })),
          tags: item.tags as Tags | undefined,
          timestamp,
        })
      }
    }
    if (batch.length) yield batch
  }
}

async function* readXml(stream: Readable): AsyncGenerator<OsmElement[]> {
  const parser = sax.parser(true, { trim: false, position: false })
  let batch: OsmElement[] = []
  let current: OsmElement | undefined
  let tags: Record<string, string> = {}
  let error: Error | undefined
  parser.onerror = (e) => {
    error = e
  }
  parser.onopentag = (node) => {
    const a = node.attributes as Record<string, string>
    switch (node.name) {
      case 'node':
        tags = {}
        current = {
          type: 'node',
          id: num(a.id),
          lon: num(a.lon),
          lat: num(a.lat),
          timestamp: stamp(a.timestamp),
        }
        break
      case 'way':
        tags = {}
        current = { type: 'way', id: num(a.id), refs: [], timestamp: stamp(a.timestamp) }
        break
      case 'relation':
        tags = {}
        current = { type: 'relation', id: num(a.id), members: [], timestamp: stamp(a.timestamp) }
        break
      case 'tag':
        if (current && a.k !== undefined) tags[a.k] = a.v ?? ''
        break
      case 'nd':
        if (current?.type === 'way') current.refs.push(num(a.ref))
        break
      case 'member':
        if (
          current?.type === 'relation' &&
          (a.type === 'node' || a.type === 'way' || a.type === 'relation')
        ) {
          current.members.push({ type: a.type, ref: num(a.ref), role: a.role ?? '' })
        }
        break
    }
  }
  parser.onclosetag = (name) => {
    if (current && name === current.type) {
      if (Object.keys(tags).length) current.tags = tags
      batch.push(current)
      current = undefined
    }
  }
  stream.setEncoding('utf8')
  for await (const chunk of stream as AsyncIterable<string>) {
    parser.write(chunk)
    if (error) break
    if (batch.length >= 1000) {
      yield batch
      batch = []
    }
  }
  if (!error) parser.close()
  if (error) {
    stream.destroy()
    throw unreadable({
      nl: `Het XML-bestand is niet goed: ${error.message.split('\n')[0]}`,
      en: `The XML file is not well-formed: ${error.message.split('\n')[0]}`,
    })
  }
  if (batch.length) yield batch
}

interface OverpassElement {
  type: string
  id: number
  lat?: number
  lon?: number
  nodes?: number[]
  geometry?: ({ lat: number; lon: number } | null)[]
  members?: { type: string; ref: number; role?: string }[]
  tags?: Tags
  timestamp?: string
}

async function* readJson(stream: Readable): AsyncGenerator<OsmElement[]> {
  // pipeline() destroys every stage when one fails (a cut-off file fails in the parser), so
  // the iteration below ends with that error instead of an unhandled 'error' event.
  const pipeline = pipe(
    stream,
    jsonParser.asStream(),
    pick.asStream({ filter: 'elements' }),
    streamArray.asStream(),
    () => {},
  )
  let batch: OsmElement[] = []
  try {
    for await (const { value } of pipeline as AsyncIterable<{ value: OverpassElement }>) {
      const e = value
      if (e.type === 'node' && typeof e.lat === 'number' && typeof e.lon === 'number') {
        batch.push({
          type: 'node',
          id: e.id,
          lon: e.lon,
          lat: e.lat,
          tags: e.tags,
          timestamp: stamp(e.timestamp),
        })
      } else if (e.type === 'way' && Array.isArray(e.nodes)) {
        const geometry = e.geometry?.every((g) => g !== null)
          ? (e.geometry as { lat: number; lon: number }[])
          : undefined
        batch.push({
          type: 'way',
          id: e.id,
          refs: e.nodes,
          tags: e.tags,
          geometry,
          timestamp: stamp(e.timestamp),
        })
      } else if (e.type === 'relation' && Array.isArray(e.members)) {
        batch.push({
          type: 'relation',
          id: e.id,
          members: e.members
            .filter((m) => m.type === 'node' || m.type === 'way' || m.type === 'relation')
            .map((m) => ({ type: m.type as 'node', ref: m.ref, role: m.role ?? '' })),
          tags: e.tags,
          timestamp: stamp(e.timestamp),
        })
      }
      if (batch.length >= 1000) {
        yield batch
        batch = []
      }
    }
  } catch (e) {
    if (e instanceof DomainError) throw e
    throw unreadable({
      nl: `Het JSON-bestand is niet goed: ${(e as Error).message}`,
      en: `The JSON file is not valid: ${(e as Error).message}`,
    })
  }
  if (batch.length) yield batch
}

/** A node without two finite coordinates cannot be placed: it is left out, as if missing. */
const placeable = (e: OsmElement) =>
  e.type !== 'node' || (Number.isFinite(e.lon) && Number.isFinite(e.lat))

/** Reads the whole file once, in batches of elements, reporting bytes read. */
export async function* readOsm(
  path: string,
  info: OsmFileInfo,
  onProgress?: ReadProgress,
): AsyncGenerator<OsmElement[]> {
  const stream = source(path, info, onProgress)
  try {
    const batches =
      info.format === 'pbf'
        ? readPbf(stream)
        : info.format === 'xml'
          ? readXml(stream)
          : readJson(stream)
    for await (const batch of batches) yield batch.filter(placeable)
  } catch (e) {
    if (e instanceof DomainError) throw e
    throw unreadable({
      nl: `Het bestand is beschadigd of onvolledig: ${(e as Error).message}`,
      en: `The file is damaged or incomplete: ${(e as Error).message}`,
    })
  } finally {
    stream.destroy()
  }
}
