import { z } from 'zod'
import { STATUSES, type AssetStatus } from '../domain/asset.js'
import { invalidInput, invalidParameter } from '../domain/errors.js'
import { FIELD, PROBLEM, TRAVELLED } from '../domain/messages.js'
import { parseBbox } from '../domain/geo.js'
import { MAX_THRESHOLD_M } from '../domain/limits.js'
import type { Mode } from '../domain/reach.js'
import { DEFAULT_THRESHOLD } from '../services/analysis.js'

/** Query-string schemas shared by the routes. */

/** A custom Zod issue with a stable code and a Dutch message. */
export const issue = (message: string, nl: string, code = 'invalid_value') => ({
  code: 'custom' as const,
  message,
  params: { code, nl },
})

/** "a,b,c" → the values, each checked; empty or absent → undefined. */
export const commaList = <T extends string>(isValid: (v: string) => v is T, what: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return undefined
      const values = text.split(',').map((v) => v.trim())
      const bad = values.filter((v) => !isValid(v))
      if (bad.length > 0) {
        ctx.addIssue(
          issue(`Unknown ${what}: ${bad.join(', ')}.`, `Onbekende waarde: ${bad.join(', ')}.`),
        )
        return z.NEVER
      }
      return values as T[]
    })

export const isStatus = (v: string): v is AssetStatus => (STATUSES as readonly string[]).includes(v)

/** "minLon,minLat,maxLon,maxLat" in degrees (WGS84). */
export const bboxQuery = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined) return undefined
    const bbox = parseBbox(text)
    if (!bbox) {
      ctx.addIssue(
        issue(
          'Give bbox as minLon,minLat,maxLon,maxLat in degrees, e.g. 5.40,52.45,5.55,52.55.',
          'Geef bbox als minLon,minLat,maxLon,maxLat in graden, bijvoorbeeld 5.40,52.45,5.55,52.55.',
          'invalid_bbox',
        ),
      )
      return z.NEVER
    }
    return bbox
  })
  .meta({ description: 'minLon,minLat,maxLon,maxLat (WGS84)', example: '5.40,52.45,5.55,52.55' })

/** Paging of a newest-first log (audit, changes): `limit`, and `before` an entry id. */
export function newestFirstQuery(defaultLimit: number) {
  return z.strictObject({
    limit: z.coerce.number().int().min(1).max(500).default(defaultLimit),
    before: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1)
      .optional(),
    lang: z.enum(['nl', 'en']).optional(),
  })
}

/**
 * The threshold a request asked for (or the mode's default), refused when it is beyond what the
 * mode sensibly means (MAX_THRESHOLD_M: an hour's walk, an hour by bike): 400 for a query
 * parameter, 422 for a body field.
 */
export function thresholdFor(
  mode: Mode,
  given: number | undefined,
  where: { in: 'query' | 'body'; name: string } = { in: 'query', name: 'threshold' },
): number {
  if (given === undefined) return DEFAULT_THRESHOLD[mode]
  const max = MAX_THRESHOLD_M[mode]
  if (given <= max) return given
  const how = TRAVELLED[mode]
  const field = {
    pointer: where.in === 'body' ? `/${where.name}` : where.name,
    in: where.in,
    code: 'too_large',
    message: FIELD.distanceAtMost(max, how),
  } as const
  const refuse = where.in === 'body' ? invalidInput : invalidParameter
  throw refuse(PROBLEM.distanceTooLarge(given, max, how), { fields: [field] })
}

/**
 * A permalink's pin: the data versions (`data=places.areas.network`) and the fingerprint (`fp`)
 * its figures were computed on. The answer is always today's; with a pin it says what changed.
 */
export const pinQuery = {
  data: z
    .string()
    .regex(/^\d{1,15}\.\d{1,15}\.\d{1,15}$/)
    .optional()
    .meta({ description: 'Data versions a permalink was made with (places.areas.network)' }),
  fp: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional()
    .meta({ description: 'Fingerprint a permalink was made with' }),
}
