import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { pipeline as pipe, Transform, type Readable } from 'node:stream'
import { constants, createGunzip, inflateSync } from 'node:zlib'
import { parse as parsePrimitiveBlock } from 'osm-pbf-parser-node'
import { PbfReader } from 'pbf'
import sax from 'sax'
import { parser as jsonParser } from 'stream-json'
import pick from 'stream-json/filters/pick.js'
import streamArray from 'stream-json/streamers/stream-array.js'
import { DomainError, invalidInput, unreadableFile } from '../domain/errors.js'
import { FIELD, PROBLEM, REASON, type Bilingual } from '../domain/messages.js'
import type { Tags } from '../domain/network/profiles.js'

/**
 * Streaming readers for OpenStreetMap files: `.osm.pbf` (blocks framed here, decoded by
 * osm-pbf-parser-node), `.osm` XML (sax) and Overpass JSON (stream-json), each optionally
 * gzipped. They yield batches of elements and never hold the file in memory; a caller that needs
 * several passes reads the file again. Whatever a file holds, reading it fails as a DomainError,
 * never as an exception thrown inside a stream, and stops when it unpacks to more than a limit.
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

/** The default of BUURTKAART_MAX_OSM_BYTES: how large a file may be once unpacked. */
export const DEFAULT_MAX_OSM_BYTES = 1024 ** 3

/** OSM PBF file format: a BlobHeader must be smaller than 64 KiB. */
const MAX_BLOB_HEADER_BYTES = 64 * 1024
/** OSM PBF file format: a Blob must be smaller than 32 MiB, also once uncompressed. */
const MAX_BLOB_BYTES = 32 * 1024 * 1024

/** How many bytes one read of a file may unpack to, and how many it has so far. */
interface Budget {
  readonly limit: number
  unpacked: number
}

const unreadable = (why: Bilingual) => unreadableFile(why)

/** A size as a person reads it: 256 KiB, 1.5 MiB, 1 GiB. */
export const sizeText = (bytes: number) =>
  bytes >= 1024 ** 3
    ? `${+(bytes / 1024 ** 3).toFixed(2)} GiB`
    : bytes >= 1024 ** 2
      ? `${+(bytes / 1024 ** 2).toFixed(2)} MiB`
      : `${+(bytes / 1024).toFixed(2)} KiB`

const tooLarge = (budget: Budget) =>
  invalidInput(PROBLEM.osmFileTooLarge(sizeText(budget.limit)), {
    fields: [
      {
        pointer: '/file',
        code: 'too_large',
        message: FIELD.unpackedLargerThan(sizeText(budget.limit)),
      },
    ],
    extra: { limit_bytes: budget.limit, unpacked_bytes: budget.unpacked },
  })

/** A PBF file that breaks a limit of the format itself: refused before anything is unpacked. */
const beyondPbfFormat = (what: Bilingual) =>
  invalidInput(PROBLEM.notPbf(what), {
    fields: [{ pointer: '/file', code: 'pbf_limit', message: what }],
  })

/**
 * The first `max` bytes a gzipped head unpacks to: stops there, so a few kilobytes that unpack
 * to gigabytes cost no more than `max`. A partial stream is fine (the head is cut off).
 */
async function gunzipHead(head: Buffer, max: number): Promise<Buffer> {
  const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH })
  gunzip.end(head)
  const out: Buffer[] = []
  let length = 0
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    out.push(chunk)
    length += chunk.length
    if (length >= max) break
  }
  return Buffer.concat(out).subarray(0, max)
}

/** Tells the format from the first bytes: PBF's first blob header, `<`, or `{`. */
export async function detectOsmFile(path: string): Promise<OsmFileInfo> {
  let size: number
  let head: Buffer
  try {
    size = (await stat(path)).size
    const handle = await open(path, 'r')
    try {
      const buffer = Buffer.alloc(Math.min(size, 64 * 1024))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
      head = buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  } catch (e) {
    // A directory, a file that is not there (any more) or not readable: said plainly.
    const code = (e as { code?: unknown }).code
    if (typeof code !== 'string') throw e
    throw unreadable(REASON.cannotOpen(code))
  }
  let gzip = false
  if (head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true
    try {
      head = await gunzipHead(head, 64 * 1024)
    } catch {
      throw unreadable(REASON.badGzip)
    }
  }
  if (!gzip && head.length > 16 && head.subarray(4, 32).includes('OSMHeader')) {
    return { format: 'pbf', gzip, bytes: size }
  }
  const first = head.toString('utf8', 0, Math.min(head.length, 4096)).trimStart()[0]
  if (first === '<') return { format: 'xml', gzip, bytes: size }
  if (first === '{') return { format: 'json', gzip, bytes: size }
  throw unreadable(REASON.notOsm)
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

/** Passes bytes on until they would pass the budget, then fails with `too_large`. */
function limited(budget: Budget): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, next) {
      if (budget.unpacked + chunk.length > budget.limit) return next(tooLarge(budget))
      budget.unpacked += chunk.length
      next(null, chunk)
    },
  })
}

function source(
  path: string,
  info: OsmFileInfo,
  budget: Budget,
  onProgress?: ReadProgress,
): Readable {
  const stages: (Readable | Transform)[] = [
    createReadStream(path, { highWaterMark: 1 << 20 }),
    counting(info.bytes, onProgress),
  ]
  if (info.gzip) stages.push(createGunzip())
  // A PBF file counts what its blocks unpack to (readPbf); XML and JSON count their text.
  if (info.format !== 'pbf') stages.push(limited(budget))
  // pipeline() destroys every stage when one fails, so a failure anywhere (a missing file, a
  // broken gzip stream, the limit) ends the reader's iteration of the last stage with that
  // error, instead of being an 'error' event nobody listens to.
  return pipe(stages, () => {}) as unknown as Readable
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v))

/** A timestamp as milliseconds: PBF gives numbers, XML and JSON ISO text. */
const stamp = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v
  if (typeof v !== 'string') return undefined
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? undefined : ms
}

/** Reads exact numbers of bytes from a stream of chunks. */
class ByteReader {
  private buffered: Buffer = Buffer.alloc(0)
  private ended = false
  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  /** The next `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    const parts = [this.buffered]
    let length = this.buffered.length
    while (length < n && !this.ended) {
      const next = await this.chunks.next()
      if (next.done) this.ended = true
      else {
        parts.push(next.value)
        length += next.value.length
      }
    }
    const all = parts.length === 1 ? this.buffered : Buffer.concat(parts, length)
    this.buffered = all.subarray(n)
    return all.subarray(0, n)
  }
}

const pbfCutOff = () => unreadable(REASON.pbfCutOff)

interface PbfBlob {
  raw?: Uint8Array
  rawSize: number
  zlib?: Uint8Array
  /** A compression this reader does not unpack (lzma, bzip2, lz4, zstd). */
  other?: string
}

const OTHER_COMPRESSIONS: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' }

/** Unpacks a blob within the budget and the format's 32 MiB, never inflating past either. */
function unpackBlob(blob: PbfBlob, budget: Budget): Buffer {
  const room = budget.limit - budget.unpacked
  if (blob.rawSize < 0 || blob.rawSize > MAX_BLOB_BYTES) {
    throw beyondPbfFormat(REASON.pbfBlockClaimsTooLarge(blob.rawSize))
  }
  if (blob.raw) {
    if (blob.raw.length > room) throw tooLarge(budget)
    budget.unpacked += blob.raw.length
    return Buffer.from(blob.raw.buffer, blob.raw.byteOffset, blob.raw.length)
  }
  if (!blob.zlib) {
    throw unreadable(REASON.pbfCompression(blob.other))
  }
  if (blob.rawSize > room) throw tooLarge(budget)
  // raw_size is optional: without it the block may still not pass the format's limit or the room.
  const cap = blob.rawSize > 0 ? blob.rawSize : Math.min(MAX_BLOB_BYTES, room)
  let data: Buffer
  try {
    data = inflateSync(blob.zlib, { maxOutputLength: Math.max(1, cap) })
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_BUFFER_TOO_LARGE') {
      throw unreadable(REASON.pbfInflate((e as Error).message))
    }
    if (blob.rawSize > 0) {
      throw unreadable(REASON.pbfUnpacksBeyondStated(blob.rawSize))
    }
    if (cap === MAX_BLOB_BYTES) {
      throw beyondPbfFormat(REASON.pbfBlockUnpacksTooLarge)
    }
    throw tooLarge(budget)
  }
  budget.unpacked += data.length
  return data
}

/**
 * The blocks of an `.osm.pbf` file (OSM PBF file format: a 4-byte big-endian BlobHeader length,
 * a BlobHeader, a Blob), framed here rather than by osm-pbf-parser-node's stream, which throws
 * inside its transform (an uncaught exception that ends the process) and inflates without a
 * limit. Each size is checked before its bytes are read or unpacked.
 */
async function* pbfBlocks(stream: Readable, budget: Budget): AsyncGenerator<Buffer> {
  const bytes = new ByteReader((stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]())
  let first = true
  for (;;) {
    const prefix = await bytes.read(4)
    if (prefix.length === 0) return
    if (prefix.length < 4) throw pbfCutOff()
    const headerLength = prefix.readUInt32BE(0)
    if (headerLength > MAX_BLOB_HEADER_BYTES) {
      throw beyondPbfFormat(REASON.pbfHeaderTooLarge(headerLength))
    }
    const headerBytes = await bytes.read(headerLength)
    if (headerBytes.length < headerLength) throw pbfCutOff()
    const header = new PbfReader(headerBytes).readFields(
      (tag, h, pbf) => {
        if (tag === 1) h.type = pbf.readString()
        else if (tag === 3) h.datasize = pbf.readVarint(true)
      },
      { type: '', datasize: 0 },
    )
    if (header.datasize < 0 || header.datasize > MAX_BLOB_BYTES) {
      throw beyondPbfFormat(REASON.pbfBlockTooLarge(header.datasize))
    }
    if (first && header.type !== 'OSMHeader') {
      throw unreadable(REASON.pbfNoHeader)
    }
    first = false
    const blobBytes = await bytes.read(header.datasize)
    if (blobBytes.length < header.datasize) throw pbfCutOff()
    // The format says to skip block types a reader does not know.
    if (header.type !== 'OSMHeader' && header.type !== 'OSMData') continue
    const blob = new PbfReader(blobBytes).readFields<PbfBlob>(
      (tag, b, pbf) => {
        if (tag === 1) b.raw = pbf.readBytes()
        else if (tag === 2) b.rawSize = pbf.readVarint(true)
        else if (tag === 3) b.zlib = pbf.readBytes()
        else if (OTHER_COMPRESSIONS[tag]) b.other = OTHER_COMPRESSIONS[tag]
      },
      { rawSize: 0 },
    )
    // The header block is unpacked too (within the budget): a damaged one fails here.
    const data = unpackBlob(blob, budget)
    if (header.type === 'OSMData') yield data
  }
}

/** The elements of one unpacked OSMData block. */
function pbfElements(data: Buffer): OsmElement[] {
  let items: Record<string, unknown>[]
  try {
    items = parsePrimitiveBlock(data, { withTags: true, withInfo: true }) as Record<
      string,
      unknown
    >[]
  } catch (e) {
    throw unreadable(REASON.pbfDataBlock((e as Error).message))
  }
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
  return batch
}

async function* readPbf(stream: Readable, budget: Budget): AsyncGenerator<OsmElement[]> {
  for await (const data of pbfBlocks(stream, budget)) {
    const batch = pbfElements(data)
    if (batch.length) yield batch
  }
}

async function* readXml(stream: Readable): AsyncGenerator<OsmElement[]> {
  // Position tracking also turns on sax's checks of its buffers (MAX_BUFFER_LENGTH, 64 KiB):
  // without it one attribute, or the text between two tags, could grow without limit.
  const parser = sax.parser(true, { trim: false, position: true })
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
    throw unreadable(REASON.xmlMalformed(error.message.split('\n')[0] ?? ''))
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

/** Longest text one XML attribute or JSON string may have: sax's MAX_BUFFER_LENGTH. */
const MAX_TEXT_CHARS = 64 * 1024

/**
 * Fails a JSON string, key or number longer than `MAX_TEXT_CHARS` while the parser still
 * streams its chunks: the parser builds the whole value before handing it on, so one string in
 * a small gzipped file could otherwise take all the memory.
 */
function boundedJsonTokens(): Transform {
  let length = 0
  return new Transform({
    objectMode: true,
    transform(token: { name: string; value?: unknown }, _enc, next) {
      if (token.name.endsWith('Chunk') && typeof token.value === 'string') {
        length += token.value.length
        if (length > MAX_TEXT_CHARS) {
          return next(unreadable(REASON.jsonTextTooLong(MAX_TEXT_CHARS)))
        }
      } else if (token.name.startsWith('end')) length = 0
      next(null, token)
    },
  })
}

async function* readJson(stream: Readable): AsyncGenerator<OsmElement[]> {
  // pipeline() destroys every stage when one fails (a cut-off file fails in the parser), so
  // the iteration below ends with that error instead of an unhandled 'error' event.
  const pipeline = pipe(
    stream,
    jsonParser.asStream(),
    boundedJsonTokens(),
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
    throw unreadable(REASON.jsonInvalid((e as Error).message))
  }
  if (batch.length) yield batch
}

/** A node without two finite coordinates cannot be placed: it is left out, as if missing. */
const placeable = (e: OsmElement) =>
  e.type !== 'node' || (Number.isFinite(e.lon) && Number.isFinite(e.lat))

export interface ReadOptions {
  readonly onProgress?: ReadProgress | undefined
  /** Most bytes the file may unpack to (BUURTKAART_MAX_OSM_BYTES); the read stops there. */
  readonly maxBytes?: number | undefined
}

/** Reads the whole file once, in batches of elements, reporting bytes read. */
export async function* readOsm(
  path: string,
  info: OsmFileInfo,
  options: ReadOptions = {},
): AsyncGenerator<OsmElement[]> {
  const budget: Budget = { limit: options.maxBytes ?? DEFAULT_MAX_OSM_BYTES, unpacked: 0 }
  const stream = source(path, info, budget, options.onProgress)
  try {
    const batches =
      info.format === 'pbf'
        ? readPbf(stream, budget)
        : info.format === 'xml'
          ? readXml(stream)
          : readJson(stream)
    for await (const batch of batches) yield batch.filter(placeable)
  } catch (e) {
    if (e instanceof DomainError) throw e
    throw unreadable(REASON.damaged((e as Error).message))
  } finally {
    stream.destroy()
  }
}
