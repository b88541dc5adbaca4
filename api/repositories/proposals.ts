import type { Selectable } from 'kysely'
import type { Executor, ProposalsTable } from '../db/database.js'
import { jsonb } from '../db/postgis.js'

/** A proposal as stored; the service turns it into what the API shows. */
export type ProposalRow = Selectable<ProposalsTable>
export type ProposalStatus = ProposalRow['status']

/** One proposal, locked for the transaction when `lock` is set. */
export async function findProposal(
  db: Executor,
  id: string,
  lock = false,
): Promise<ProposalRow | undefined> {
  let query = db.selectFrom('proposals').selectAll().where('id', '=', id)
  if (lock) query = query.forUpdate()
  return query.executeTakeFirst()
}

/** Proposals by status and proposer: pending ones oldest first (a queue), others newest first. */
export async function listProposals(
  db: Executor,
  filter: { status?: ProposalStatus | undefined; proposerId?: string | undefined; limit: number },
): Promise<ProposalRow[]> {
  let query = db.selectFrom('proposals').selectAll()
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.proposerId) query = query.where('proposer_id', '=', filter.proposerId)
  return query
    .orderBy('created_at', filter.status === 'pending' ? 'asc' : 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .execute()
}

/** What one account proposed, oldest first (for the AVG export). */
export async function listProposalsBy(db: Executor, proposerId: string) {
  const rows = await db
    .selectFrom('proposals')
    .select(['id', 'action', 'asset_id', 'status', 'note', 'created_at', 'decided_at', 'reason'])
    .where('proposer_id', '=', proposerId)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => ({
    ...r,
    created_at: new Date(r.created_at),
    decided_at: r.decided_at === null ? null : new Date(r.decided_at),
  }))
}

/** How many proposals one address made without an account since `since`. */
export async function countAnonymousSince(
  db: Executor,
  addressHash: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('proposer_address_hash', '=', addressHash)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertProposal(
  db: Executor,
  proposal: {
    id: string
    action: ProposalRow['action']
    asset_id: string | null
    base_version: number | null
    payload: unknown
    before: unknown
    proposer_id: string | null
    proposer_address_hash: string | null
    note: string | null
    created_at: Date
  },
): Promise<void> {
  await db
    .insertInto('proposals')
    .values({
      ...proposal,
      payload: proposal.payload === null ? null : jsonb(proposal.payload),
      before: proposal.before === null ? null : jsonb(proposal.before),
      status: 'pending',
    })
    .execute()
}

/** Records a moderator's decision on a proposal. */
export async function decideProposal(
  db: Executor,
  id: string,
  decision: {
    status: 'approved' | 'rejected'
    decided_by: string
    decided_at: Date
    reason: string | null
    result_asset_id?: string
    result_version?: number
  },
): Promise<void> {
  await db.updateTable('proposals').set(decision).where('id', '=', id).execute()
}
