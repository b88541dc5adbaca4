import fs from 'node:fs'
import path from 'node:path'
import { PbfWriter } from 'pbf'
import { assetSchemas } from '../../api/domain/asset.js'
import { importAreas } from '../../api/services/areas.js'
import { importOsm } from '../../api/services/osm-import.js'
import type { TestContext } from './backends.js'

/** The Netherlands: the real OpenStreetMap extracts lie in Delft and Amsterdam, not Flevoland. */
export const NL = [3.3, 50.7, 7.3, 53.6] as const
export const nlSchemas = assetSchemas({ bbox: NL, name: 'Nederland' })

/** Imports an OpenStreetMap file as `npm run import:osm` does, with the region set to NL. */
export function importOsmFile(
  ctx: Pick<TestContext, 'handle' | 'clock'>,
  file: string,
  extra: Partial<Parameters<typeof importOsm>[2]> = {},
) {
  return importOsm({ db: ctx.handle.db, clock: ctx.clock, schemas: nlSchemas }, file, {
    network: true,
    places: true,
    dryRun: false,
    regionBbox: NL,
    ferryPenaltyMin: 5,
    actor: 'test',
    fileName: path.basename(file),
    ...extra,
  })
}

/**
 * Synthetic areas over the Delft extract's core (made-up codes GM9901/WK9901xx and inhabitants,
 * plus a wijk at sea with no paths); see the fixture file.
 */
export async function loadSyntheticDelftAreas(ctx: Pick<TestContext, 'handle' | 'clock'>) {
  const file = path.join(import.meta.dirname, '..', 'fixtures', 'synthetic-delft-areas.geojson')
  await importAreas({ db: ctx.handle.db, clock: ctx.clock }, [
    {
      collection: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown,
      year: 2026,
      source: 'synthetic test areas',
    },
  ])
}

/** One blob of an `.osm.pbf` file: its BlobHeader type and the fields of its Blob message. */
export interface PbfBlob {
  readonly type: string
  readonly raw?: Uint8Array
  readonly rawSize?: number
  readonly zlib?: Uint8Array
}

/**
 * The bytes of an `.osm.pbf` file made of `blobs` (OSM PBF file format: a 4-byte big-endian
 * BlobHeader length, the BlobHeader, then the Blob), for files a real extract never holds.
 */
export function pbfBytes(blobs: readonly PbfBlob[]): Buffer {
  const parts: Buffer[] = []
  for (const blob of blobs) {
    const data = new PbfWriter()
    if (blob.raw) data.writeBytesField(1, blob.raw)
    if (blob.rawSize !== undefined) data.writeVarintField(2, blob.rawSize)
    if (blob.zlib) data.writeBytesField(3, blob.zlib)
    const body = data.finish()
    const header = new PbfWriter()
    header.writeStringField(1, blob.type)
    header.writeVarintField(3, body.length)
    const head = header.finish()
    const length = Buffer.alloc(4)
    length.writeUInt32BE(head.length)
    parts.push(length, Buffer.from(head), Buffer.from(body))
  }
  return Buffer.concat(parts)
}
