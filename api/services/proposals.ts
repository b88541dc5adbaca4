import { randomUUID } from 'node:crypto'
import {
  ASSET_LABEL,
  type Asset,
  type AssetCreateInput,
  type AssetPatchInput,
} from '../domain/asset.js'
import { conflict, gone as goneError, notFound, tooManyRequests } from '../domain/errors.js'
import { LABEL, PROBLEM } from '../domain/messages.js'
import { roundLonLat } from '../domain/geo.js'
import { userActor } from '../domain/roles.js'
import type { Database } from '../db/database.js'
import {
  countAnonymousSince,
  decideProposal,
  findProposal,
  insertProposal,
  listProposals,
  type ProposalRow,
} from '../repositories/proposals.js'
import { findAsset, lockAsset, toIso } from '../repositories/assets.js'
import type { Executor } from '../db/database.js'
import { actorNames } from '../repositories/users.js'
import { applyPatch, attributesFromInput, createAssetService } from './assets.js'
import type { Clock } from '../domain/clock.js'
import { appendAudit } from '../repositories/audit.js'

export type ProposalAction = 'create' | 'update' | 'delete'
export type ProposalStatus = 'pending' | 'approved' | 'rejected'

export interface Proposal {
  readonly id: string
  readonly action: ProposalAction
  readonly asset_id: string | null
  readonly base_version: number | null
  readonly status: ProposalStatus
  readonly proposer: { id: string | null; name: string | null }
  readonly note: string | null
  readonly created_at: string
  /** The asset when the proposal was made (null for a new place). */
  readonly before: Asset | null
  /** The asset as the proposal would make it (null for a deletion). */
  readonly after: Asset | null
  readonly decided_by: { id: string; name: string | null } | null
  readonly decided_at: string | null
  readonly reason: string | null
  readonly result_version: number | null
}

/** Anonymous suggestions allowed per address per hour. */
export const ANONYMOUS_PER_HOUR = 5

const gone = (id: string) => goneError(PROBLEM.proposalAssetDeleted(id))

function proposedState(
  action: ProposalAction,
  before: Asset | null,
  payload: unknown,
  id: string,
  at: string,
): Asset | null {
  if (action === 'delete') return null
  if (action === 'create') {
    const input = payload as AssetCreateInput
    const [lon, lat] = roundLonLat([input.geometry.coordinates[0], input.geometry.coordinates[1]])
    return {
      id,
      lon,
      lat,
      ...attributesFromInput(input.properties),
      source: 'user',
      gemeente_code: null,
      wijk_code: null,
      buurt_code: null,
      pc4_code: null,
      verified_at: null,
      verified_by_role: null,
      version: 0,
      created_at: at,
      created_by: 'proposal',
      updated_at: at,
      updated_by: 'proposal',
      deleted_at: null,
    }
  }
  const base = before as Asset
  const patch = payload as AssetPatchInput
  const position = patch.geometry
    ? roundLonLat([patch.geometry.coordinates[0], patch.geometry.coordinates[1]])
    : ([base.lon, base.lat] as const)
  return { ...base, ...applyPatch(base, patch.properties), lon: position[0], lat: position[1] }
}

async function toProposals(db: Executor, rows: readonly ProposalRow[]): Promise<Proposal[]> {
  const names = await actorNames(
    db,
    rows.flatMap((r) => [r.proposer_id, r.decided_by].filter((x) => x).map((x) => `user:${x}`)),
  )
  return rows.map((r) => {
    const before = (r.before ?? null) as Asset | null
    const created = toIso(r.created_at)
    return {
      id: r.id,
      action: r.action,
      asset_id: r.asset_id,
      base_version: r.base_version,
      status: r.status,
      proposer: {
        id: r.proposer_id,
        name: r.proposer_id ? (names.get(`user:${r.proposer_id}`) ?? null) : null,
      },
      note: r.note,
      created_at: created,
      before,
      after: proposedState(r.action, before, r.payload, r.asset_id ?? r.id, created),
      decided_by: r.decided_by
        ? { id: r.decided_by, name: names.get(`user:${r.decided_by}`) ?? null }
        : null,
      decided_at: r.decided_at ? toIso(r.decided_at) : null,
      reason: r.reason,
      result_version: r.result_version,
    }
  })
}

/** Field names (and `geometry`) whose values differ between two asset states. */
export function changedFields(a: Asset, b: Asset): string[] {
  const keys = Object.keys(b).filter(
    (k) => !['version', 'updated_at', 'updated_by', 'created_at', 'created_by'].includes(k),
  )
  return keys.filter(
    (k) =>
      JSON.stringify((a as unknown as Record<string, unknown>)[k]) !==
      JSON.stringify((b as unknown as Record<string, unknown>)[k]),
  )
}

export function createProposals(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps

  async function requireProposal(db: Executor, id: string, lock = false) {
    const row = await findProposal(db, id, lock)
    if (!row) throw notFound(LABEL.proposal, id)
    return row
  }

  const decided = (row: ProposalRow) => conflict(PROBLEM.proposalDecided(row.status))

  return {
    /**
     * Queues a change for a moderator. `proposer` is an account id, or null with an address
     * hash for an anonymous suggestion (at most ANONYMOUS_PER_HOUR per address).
     */
    async submit(input: {
      action: ProposalAction
      assetId?: string | undefined
      payload: AssetCreateInput | AssetPatchInput | null
      note?: string | null | undefined
      proposerId: string | null
      addressHash?: string | undefined
    }): Promise<Proposal> {
      const now = clock.now()
      return db.transaction().execute(async (trx) => {
        if (input.proposerId === null && input.addressHash) {
          const since = new Date(now.getTime() - 3600_000)
          const recent = await countAnonymousSince(trx, input.addressHash, since)
          if (recent >= ANONYMOUS_PER_HOUR) {
            throw tooManyRequests(PROBLEM.anonymousProposalLimit(ANONYMOUS_PER_HOUR), {
              extra: { retry_after: 3600 },
            })
          }
        }
        let before: Asset | null = null
        if (input.action !== 'create') {
          const id = input.assetId as string
          before = (await findAsset(trx, id)) ?? null
          if (!before) throw notFound(ASSET_LABEL, id)
          if (before.deleted_at) throw gone(id)
        }
        const id = randomUUID()
        await insertProposal(trx, {
          id,
          action: input.action,
          asset_id: input.action === 'create' ? null : (input.assetId ?? null),
          base_version: before?.version ?? null,
          payload: input.payload,
          before,
          proposer_id: input.proposerId,
          proposer_address_hash: input.proposerId === null ? (input.addressHash ?? null) : null,
          note: input.note ?? null,
          created_at: now,
        })
        await appendAudit(trx, {
          at: now,
          actor: input.proposerId ? userActor(input.proposerId) : 'anonymous',
          action: 'proposal.submit',
          subject: `proposal:${id}`,
          after: { action: input.action, asset_id: input.assetId ?? null },
        })
        return (await toProposals(trx, [await requireProposal(trx, id)]))[0] as Proposal
      })
    },

    async list(filter: {
      status?: ProposalStatus | undefined
      proposerId?: string | undefined
      limit: number
    }): Promise<Proposal[]> {
      return toProposals(db, await listProposals(db, filter))
    },

    async get(id: string): Promise<Proposal> {
      return (await toProposals(db, [await requireProposal(db, id)]))[0] as Proposal
    },

    /**
     * Applies a pending proposal in the proposer's name, in one transaction with the decision.
     * When the place changed since the proposal in a field it touches, nothing is applied (409).
     */
    async approve(
      id: string,
      moderatorId: string,
      reason: string | null,
    ): Promise<{ proposal: Proposal; asset: Asset }> {
      const now = clock.now()
      return db.transaction().execute(async (trx) => {
        const row = await requireProposal(trx, id, true)
        if (row.status !== 'pending') throw decided(row)
        const assets = createAssetService({ db: trx, clock })
        const actor = row.proposer_id ? userActor(row.proposer_id) : 'anonymous'
        const meta = { proposalId: id, note: reason }
        let asset: Asset
        if (row.action === 'create') {
          asset = await assets.create(row.payload as AssetCreateInput, actor, meta)
        } else {
          const assetId = row.asset_id as string
          // Locked: the change below then applies to the very version compared here.
          const current = await lockAsset(trx, assetId)
          if (!current) throw notFound(ASSET_LABEL, assetId)
          if (current.deleted_at) throw gone(assetId)
          const before = row.before as Asset
          const proposed = proposedState(row.action, before, row.payload, assetId, '')
          if (current.version !== row.base_version) {
            // Someone changed the place since: fine, unless they changed what this proposal changes.
            const theirs = new Set(changedFields(before, current))
            // What the proposal sets (also a field it restates unchanged), not only what differs.
            const patch = row.payload as AssetPatchInput
            const ours =
              row.action === 'delete'
                ? ['deleted']
                : [
                    ...Object.keys(patch.properties ?? {}),
                    ...(patch.geometry ? ['lon', 'lat'] : []),
                    ...changedFields(before, proposed as Asset),
                  ]
            const clash =
              row.action === 'delete'
                ? [...theirs]
                : [...new Set(ours)].filter((f) => theirs.has(f))
            if (clash.length > 0) {
              throw conflict(PROBLEM.placeChangedMeanwhile(clash), {
                extra: { fields: clash, current },
              })
            }
          }
          asset =
            row.action === 'delete'
              ? await assets.remove(assetId, current.version, actor, meta)
              : await assets.update(
                  assetId,
                  current.version,
                  row.payload as AssetPatchInput,
                  actor,
                  meta,
                )
        }
        await decideProposal(trx, id, {
          status: 'approved',
          decided_by: moderatorId,
          decided_at: now,
          reason,
          result_asset_id: asset.id,
          result_version: asset.version,
        })
        await appendAudit(trx, {
          at: now,
          actor: userActor(moderatorId),
          action: 'proposal.approve',
          subject: `proposal:${id}`,
          after: { asset_id: asset.id, version: asset.version, reason },
        })
        const proposal = (await toProposals(trx, [await requireProposal(trx, id)]))[0] as Proposal
        return { proposal, asset }
      })
    },

    async reject(id: string, moderatorId: string, reason: string): Promise<Proposal> {
      const now = clock.now()
      return db.transaction().execute(async (trx) => {
        const row = await requireProposal(trx, id, true)
        if (row.status !== 'pending') throw decided(row)
        await decideProposal(trx, id, {
          status: 'rejected',
          decided_by: moderatorId,
          decided_at: now,
          reason,
        })
        await appendAudit(trx, {
          at: now,
          actor: userActor(moderatorId),
          action: 'proposal.reject',
          subject: `proposal:${id}`,
          after: { reason },
        })
        return (await toProposals(trx, [await requireProposal(trx, id)]))[0] as Proposal
      })
    },
  }
}

export type Proposals = ReturnType<typeof createProposals>
