import { coverage, type Coverage } from '../domain/coverage.js'
import { notFound } from '../domain/errors.js'
import { LABEL } from '../domain/messages.js'
import type { Clock } from '../domain/clock.js'
import type { Reach } from '../domain/reach.js'
import type { SurfaceResolution } from '../domain/surface.js'
import type { Database } from '../db/database.js'
import {
  getScenario,
  insertScenario,
  listRecentScenarios,
  type NewScenario,
  type StoredScenario,
} from '../repositories/scenarios.js'
import type { Analysis, AreaRef } from './analysis.js'
import { DISTANCE_METHOD, people } from './figures.js'
import type { Planning, ScenarioChanges } from './planning.js'

export type { StoredScenario }

const round = (v: number | null, decimals: number) =>
  v === null || !Number.isFinite(v) ? null : Number(v.toFixed(decimals))

/** A saved scenario by id (a uuid), or undefined. */
export function findScenario(db: Database, id: string): Promise<StoredScenario | undefined> {
  return getScenario(db, id)
}

/** Saves a scenario under a new id, with who saved it and when. */
export function saveScenario(
  db: Database,
  scenario: Omit<NewScenario, 'created_by' | 'created_at'>,
  by: { actor: string; at: Date },
): Promise<StoredScenario> {
  return insertScenario(db, { ...scenario, created_by: by.actor, created_at: by.at })
}

/** The newest saved scenarios, at most `limit`, in one query. */
export function listScenarios(db: Database, limit: number): Promise<StoredScenario[]> {
  return listRecentScenarios(db, limit)
}

function figuresOf(c: Coverage) {
  return {
    inhabitants: people(c.inhabitants),
    inhabitantsWithin: people(c.inhabitantsWithin),
    share: round(c.share, 6),
    meanDistanceM: round(c.meanDistanceM, 1),
    unreachableInhabitants: people(c.unreachableInhabitants),
    bands: c.bands.map((b) => ({ ...b, inhabitants: people(b.inhabitants) })),
  }
}

/** Sub-areas to break a scenario down by: wijken of a gemeente, gemeenten of the province. */
function childrenOf(area: AreaRef, names: Map<string, AreaRef>): AreaRef[] {
  const all = [...names.values()]
  if (area.level === 'province') return all.filter((a) => a.level === 'gemeente')
  if (area.level === 'gemeente') {
    const digits = area.code.slice(2)
    return all.filter((a) => a.level === 'wijk' && a.code.slice(2, 6) === digits)
  }
  return []
}

/** A saved scenario's figures against today: the area, its sub-areas, and every changed cell. */
export async function scenarioCoverage(
  analysis: Analysis,
  planning: Planning,
  clock: Clock,
  scenario: StoredScenario,
) {
  const area = await analysis.area(scenario.area)
  if (!area) throw notFound(LABEL.area, scenario.area)
  const s = {
    area,
    mode: scenario.mode,
    res: scenario.res as SurfaceResolution,
    thresholdM: scenario.thresholdM,
  }
  const changes: ScenarioChanges = { add: scenario.add, close: scenario.close }
  const result = await planning.evaluate(s, changes)
  const names = await analysis.areaNames()
  const compare = (a: AreaRef, today: Reach, after: Reach) => {
    const selection = result.surface.selections.get(a.code)
    if (!selection) return null
    const before = coverage(selection, today, s.thresholdM, 0)
    const next = coverage(selection, after, s.thresholdM, 0)
    return {
      code: a.code,
      name: a.name,
      level: a.level,
      today: figuresOf(before),
      withScenario: figuresOf(next),
      difference: {
        inhabitantsWithin: people(next.inhabitantsWithin - before.inhabitantsWithin),
        share: round((next.share ?? 0) - (before.share ?? 0), 6),
        meanDistanceM:
          before.meanDistanceM === null || next.meanDistanceM === null
            ? null
            : round(next.meanDistanceM - before.meanDistanceM, 1),
      },
    }
  }
  const areas = [area, ...childrenOf(area, names)]
    .map((a) => compare(a, result.reaches.today, result.reaches.scenario))
    .filter((x) => x !== null)
  return {
    scenario,
    ...(areas[0] as NonNullable<(typeof areas)[0]>),
    areas: areas.slice(1),
    cells: result.cells.map((c) => ({
      cell: result.surface.cells[c.cell],
      lon: round(result.surface.points.lon[c.cell] as number, 6),
      lat: round(result.surface.points.lat[c.cell] as number, 6),
      inhabitants: people(c.inhabitants),
      beforeM: round(c.beforeM, 1),
      afterM: round(c.afterM, 1),
      gained: !(c.beforeM <= s.thresholdM) && c.afterM <= s.thresholdM,
    })),
    inputs: {
      mode: s.mode,
      thresholdM: s.thresholdM,
      resolution: s.res,
      distance: DISTANCE_METHOD[s.mode],
      places: {
        filter: 'active meeting places (the default filter)',
        today: result.counted.today,
        scenario: result.counted.scenario,
        added: result.counted.added,
        closed: scenario.close.length,
      },
      dataVersion: { assets: result.version.assets, areas: result.version.areas },
      computedAt: clock.now().toISOString(),
      permalink: `/api/v1/scenarios/${scenario.id}/coverage`,
    },
  }
}
