import { ROLE_NAME, type Bilingual } from './messages.js'

/** Roles, least to most trusted; each may do everything the ones before it may. */
export const ROLES = ['contributor', 'trusted', 'moderator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABEL: Record<Role, Bilingual> = ROLE_NAME

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** True when `role` may do what `needed` may. */
export function atLeast(role: Role | null, needed: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(needed)
}

/** The history/actor label of an account: never its e-mail or name, which can be erased. */
export function userActor(id: string): string {
  return `user:${id}`
}

export function actorUserId(actor: string): string | undefined {
  return actor.startsWith('user:') ? actor.slice(5) : undefined
}
