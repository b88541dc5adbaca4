import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

/** What a cached download is and where it came from: shown in every figure's inputs. */
export interface DownloadRecord {
  readonly name: string
  readonly url: string
  readonly licence: string
  readonly attribution: string
  readonly retrievedAt: string
  readonly bytes: number
  readonly sha256: string
  /** The data file beside this record. */
  readonly file: string
  /** Pages, features or elements, as the source counts them. */
  readonly items: number
  /** The date of the data itself, when the source says (Overpass: timestamp_osm_base). */
  readonly dataTimestamp?: string | undefined
}

/**
 * Downloads kept under the data directory, one data file and one JSON record each. A file is
 * written under a temporary name and renamed when complete, so an interrupted download never
 * looks like a finished one.
 */
export function downloadCache(dir: string) {
  const paths = (name: string) => ({
    data: path.join(dir, `${name}.data`),
    record: path.join(dir, `${name}.json`),
  })
  return {
    dir,
    async get(name: string): Promise<DownloadRecord | undefined> {
      try {
        const record = JSON.parse(await fs.readFile(paths(name).record, 'utf8')) as DownloadRecord
        await fs.access(record.file)
        return record
      } catch {
        return undefined
      }
    },
    async put(
      name: string,
      text: string,
      about: Omit<DownloadRecord, 'name' | 'bytes' | 'sha256' | 'file'>,
    ): Promise<DownloadRecord> {
      await fs.mkdir(dir, { recursive: true })
      const { data, record } = paths(name)
      const entry: DownloadRecord = {
        name,
        ...about,
        bytes: Buffer.byteLength(text),
        sha256: createHash('sha256').update(text).digest('hex'),
        file: data,
      }
      await fs.writeFile(`${data}.part`, text)
      await fs.rename(`${data}.part`, data)
      await fs.writeFile(`${record}.part`, JSON.stringify(entry, null, 2))
      await fs.rename(`${record}.part`, record)
      return entry
    },
    /** Where a streamed download is written before `adopt` (a `.part` file until complete). */
    partFile: (name: string) => `${paths(name).data}.part`,
    /** Takes a completely written part file into the cache (large binary downloads). */
    async adopt(
      name: string,
      about: Omit<DownloadRecord, 'name' | 'bytes' | 'sha256' | 'file'>,
    ): Promise<DownloadRecord> {
      const { data, record } = paths(name)
      const part = `${data}.part`
      const hash = createHash('sha256')
      for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer)
      const { size } = await fs.stat(part)
      await fs.rename(part, data)
      const entry: DownloadRecord = {
        name,
        ...about,
        bytes: size,
        sha256: hash.digest('hex'),
        file: data,
      }
      await fs.writeFile(`${record}.part`, JSON.stringify(entry, null, 2))
      await fs.rename(`${record}.part`, record)
      return entry
    },
  }
}

export type DownloadCache = ReturnType<typeof downloadCache>
