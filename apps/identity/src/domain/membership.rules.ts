import { FlowstackError, type Role } from '@flowstack/contracts';

/**
 * The rules of who may hold which role in a workspace: pure functions over what the caller read
 * (under a lock) from the database, so the services stay I/O and these stay testable. Each returns
 * what to do, or throws the exact `FlowstackError` the client sees (none is retryable unchanged).
 */

/** How the target's role may change: `unchanged` (nothing to write) or `changed`. */
export function decideRoleChange(input: { current: Role; wanted: Role; admins: number }): 'changed' | 'unchanged' {
  if (input.current === input.wanted) return 'unchanged';
  if (input.current === 'admin' && input.admins <= 1) {
    throw new FlowstackError('conflict', 'the last admin of a workspace cannot be demoted: make another member admin first', [
      { path: 'role', message: 'the workspace would have no admin', rule: 'last_admin' },
    ]);
  }
  return 'changed';
}

/** Whether the member may be removed: throws `conflict` for the last admin. */
export function decideRemoval(input: { role: Role; admins: number }): 'remove' {
  if (input.role === 'admin' && input.admins <= 1) {
    throw new FlowstackError('conflict', 'the last admin of a workspace cannot be removed: make another member admin first');
  }
  return 'remove';
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked';

/** An invitation as read by the hash of the token the user presented. */
export interface InvitationFacts {
  status: InvitationStatus;
  email: string;
  expiresAt: Date;
}

/**
 * Whether the signed-in user (`userEmail`) may accept or decline the invitation now. An invitation
 * for another email answers as if there were none (`not_found`: the token proves nothing about
 * someone else's address); one already answered or revoked, and one past its expiry, are
 * `conflict` with the reason at `token`. Accepting when already a member is `conflict` too.
 */
export function decideInvitationAnswer(input: {
  invitation: InvitationFacts | undefined;
  userEmail: string;
  now: Date;
  answer: 'accept' | 'decline';
  alreadyMember: boolean;
}): 'accept' | 'decline' {
  const { invitation } = input;
  if (!invitation || invitation.email !== input.userEmail.toLowerCase()) {
    throw new FlowstackError('not_found', 'invitation not found');
  }
  if (invitation.status !== 'pending') {
    throw new FlowstackError('conflict', `this invitation was already ${invitation.status}`, [
      { path: 'token', message: `already ${invitation.status}: an invitation is used once`, rule: 'used' },
    ]);
  }
  if (invitation.expiresAt.getTime() <= input.now.getTime()) {
    throw new FlowstackError('conflict', 'this invitation has expired: ask for a new one', [
      { path: 'token', message: `expired at ${invitation.expiresAt.toISOString()}`, rule: 'expired' },
    ]);
  }
  if (input.answer === 'accept' && input.alreadyMember) {
    throw new FlowstackError('conflict', 'you are already a member of this workspace');
  }
  return input.answer;
}

const RANK: Readonly<Record<Role, number>> = { viewer: 0, editor: 1, admin: 2 };

/** An API key acts with at most its creator's role: a higher one is `forbidden` at `role`. */
export function decideApiKeyRole(input: { creatorRole: Role; wanted: Role }): Role {
  if (RANK[input.wanted] > RANK[input.creatorRole]) {
    throw new FlowstackError('forbidden', `an API key cannot have a higher role than yours (${input.creatorRole})`, [
      { path: 'role', message: `must be ${input.creatorRole} or lower`, rule: 'above_creator' },
    ]);
  }
  return input.wanted;
}
