import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../api/config.js'

const PRIMARY = 'postgres://buurtkaart:geheim@db-primary:5432/buurtkaart'
const REPLICA = 'postgresql://buurtkaart:geheim@db-replica:5432/buurtkaart'

describe('API token lifetime', () => {
  it('is at most 365 days by default, configurable, and refuses what is not a whole number of days', () => {
    expect(loadConfig({}).tokenMaxDays).toBe(365)
    expect(loadConfig({ BUURTKAART_TOKEN_MAX_DAYS: '90' }).tokenMaxDays).toBe(90)
    for (const bad of ['0', '1.5', 'een jaar']) {
      expect(() => loadConfig({ BUURTKAART_TOKEN_MAX_DAYS: bad })).toThrow(
        /BUURTKAART_TOKEN_MAX_DAYS/,
      )
    }
  })
})

describe('read replica and pool configuration', () => {
  it('has no replica and pools of 10 by default', () => {
    expect(loadConfig({})).toMatchObject({
      readDatabaseUrl: undefined,
      dbPoolMax: 10,
      readDbPoolMax: 10,
    })
  })

  it('reads the replica URL and both pool sizes', () => {
    const config = loadConfig({
      DATABASE_URL: PRIMARY,
      BUURTKAART_READ_DATABASE_URL: REPLICA,
      BUURTKAART_DB_POOL_MAX: '20',
      BUURTKAART_READ_DB_POOL_MAX: '40',
    })
    expect(config).toMatchObject({
      databaseUrl: PRIMARY,
      readDatabaseUrl: REPLICA,
      dbPoolMax: 20,
      readDbPoolMax: 40,
    })
  })

  it('refuses a replica without a PostgreSQL primary, naming the variable', () => {
    const load = () => loadConfig({ BUURTKAART_READ_DATABASE_URL: REPLICA })
    expect(load).toThrow(ConfigError)
    expect(load).toThrow(/BUURTKAART_READ_DATABASE_URL=.*needs DATABASE_URL/)
  })

  it('names a bad database URL without showing its password', () => {
    const messageOf = (env: Record<string, string>) => {
      try {
        loadConfig(env)
      } catch (e) {
        return (e as Error).message
      }
      throw new Error('accepted')
    }
    const alone = messageOf({ BUURTKAART_READ_DATABASE_URL: REPLICA })
    expect(alone).toContain(
      'BUURTKAART_READ_DATABASE_URL="postgresql://buurtkaart:***@db-replica:5432/buurtkaart"',
    )
    const mysql = messageOf({
      DATABASE_URL: PRIMARY,
      BUURTKAART_READ_DATABASE_URL: 'mysql://buurtkaart:geheim@db-replica/buurtkaart',
    })
    expect(mysql).toMatch(/BUURTKAART_READ_DATABASE_URL=.*must start with postgres:\/\//)
    for (const message of [alone, mysql]) expect(message).not.toContain('geheim')
  })

  it('refuses pool sizes that are not whole numbers from 1', () => {
    for (const bad of ['0', '-1', '2.5', 'tien']) {
      expect(() => loadConfig({ BUURTKAART_DB_POOL_MAX: bad }), bad).toThrow(
        /BUURTKAART_DB_POOL_MAX/,
      )
      expect(() => loadConfig({ BUURTKAART_READ_DB_POOL_MAX: bad }), bad).toThrow(
        /BUURTKAART_READ_DB_POOL_MAX/,
      )
    }
  })
})
