import type { Executor } from '../db/database.js'
import { jsonb } from '../db/postgis.js'

/** Every stored setting as key → value (JSON); what is not stored keeps its default. */
export async function readSettings(db: Executor): Promise<Record<string, unknown>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute()
  return Object.fromEntries(rows.map((r) => [r.key, r.value]))
}

/** Stores one setting, replacing what was there, with who changed it and when. */
export async function storeSetting(
  db: Executor,
  key: string,
  value: unknown,
  by: { actor: string; at: Date },
): Promise<void> {
  const row = { value: jsonb(value), updated_at: by.at, updated_by: by.actor }
  await db
    .insertInto('settings')
    .values({ key, ...row })
    .onConflict((oc) => oc.column('key').doUpdateSet(row))
    .execute()
}
