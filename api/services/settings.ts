import { z } from 'zod'
import { readSettings, storeSetting } from '../repositories/settings.js'
import type { Database, Executor } from '../db/database.js'
import { appendAudit } from '../repositories/audit.js'

/** Settings an administrator changes at run time (kept in the database, not the environment). */
export const settingsSchema = z.strictObject({
  /** Visitors without an account may read the map, figures and public exports. */
  public_map: z.boolean(),
  /** Visitors may suggest places and changes; they go to the moderation queue. */
  anonymous_suggestions: z.boolean(),
  /** A place not checked for longer than this is flagged as possibly outdated. */
  verification_max_age_days: z.number().int().min(1).max(3650),
})

export type Settings = z.infer<typeof settingsSchema>

export const DEFAULT_SETTINGS: Settings = {
  public_map: true,
  anonymous_suggestions: false,
  verification_max_age_days: 365,
}

export async function getSettings(db: Executor): Promise<Settings> {
  const stored = await readSettings(db)
  const merged = { ...DEFAULT_SETTINGS, ...stored }
  const parsed = settingsSchema.safeParse(merged)
  return parsed.success ? parsed.data : DEFAULT_SETTINGS
}

export async function updateSettings(
  db: Database,
  patch: Partial<Settings>,
  actor: string,
  at: Date,
): Promise<Settings> {
  return db.transaction().execute((trx) => writeSettings(trx, patch, actor, at))
}

/** The change and its audit entry, in the caller's transaction. */
async function writeSettings(
  db: Executor,
  patch: Partial<Settings>,
  actor: string,
  at: Date,
): Promise<Settings> {
  const before = await getSettings(db)
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    await storeSetting(db, key, value, { actor, at })
  }
  const after = await getSettings(db)
  await appendAudit(db, { at, actor, action: 'settings.update', before, after })
  return after
}

/** Settings read at most every `ttlMs` per instance; a change through this instance shows at once. */
export function settingsCache(db: Database, ttlMs: number) {
  let cached: { at: number; value: Promise<Settings> } | undefined
  return {
    get: (): Promise<Settings> => {
      const now = Date.now()
      if (!cached || now - cached.at >= ttlMs) {
        const value = getSettings(db)
        const entry = { at: now, value }
        cached = entry
        // A failed read is not kept: the next request tries again.
        value.catch(() => {
          if (cached === entry) cached = undefined
        })
      }
      return cached.value
    },
    invalidate: () => {
      cached = undefined
    },
  }
}
export type SettingsCache = ReturnType<typeof settingsCache>
