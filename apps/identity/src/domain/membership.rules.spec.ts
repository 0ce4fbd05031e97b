import { FlowstackError } from '@flowstack/contracts';
import {
  decideApiKeyRole,
  decideInvitationAnswer,
  decideRemoval,
  decideRoleChange,
  type InvitationFacts,
} from './membership.rules';

const refusal = (fn: () => unknown): FlowstackError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof FlowstackError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('decideRoleChange', () => {
  it('changes a role, and does nothing for the same role', () => {
    expect(decideRoleChange({ current: 'viewer', wanted: 'editor', admins: 1 })).toBe('changed');
    expect(decideRoleChange({ current: 'admin', wanted: 'viewer', admins: 2 })).toBe('changed');
    expect(decideRoleChange({ current: 'admin', wanted: 'admin', admins: 1 })).toBe('unchanged');
  });
  it('refuses to demote the last admin (conflict at role)', () => {
    const e = refusal(() => decideRoleChange({ current: 'admin', wanted: 'editor', admins: 1 }));
    expect(e.code).toBe('conflict');
    expect(e.errors).toEqual([expect.objectContaining({ path: 'role', rule: 'last_admin' })]);
  });
});

describe('decideRemoval', () => {
  it('removes anyone but the last admin', () => {
    expect(decideRemoval({ role: 'viewer', admins: 1 })).toBe('remove');
    expect(decideRemoval({ role: 'admin', admins: 2 })).toBe('remove');
    expect(refusal(() => decideRemoval({ role: 'admin', admins: 1 })).code).toBe('conflict');
  });
});

describe('decideInvitationAnswer', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const pending: InvitationFacts = { status: 'pending', email: 'ada@example.com', expiresAt: new Date('2026-12-02T00:00:00Z') };
  const answer = (over: Partial<Parameters<typeof decideInvitationAnswer>[0]>) =>
    decideInvitationAnswer({
      invitation: pending,
      userEmail: 'ada@example.com',
      now,
      answer: 'accept',
      alreadyMember: false,
      ...over,
    });

  it('accepts or declines a pending invitation for the signed-in email', () => {
    expect(answer({})).toBe('accept');
    expect(answer({ answer: 'decline' })).toBe('decline');
    expect(answer({ userEmail: 'ADA@example.com' })).toBe('accept');
  });
  it('answers not_found for no invitation and for another email', () => {
    expect(refusal(() => answer({ invitation: undefined })).code).toBe('not_found');
    expect(refusal(() => answer({ userEmail: 'eve@example.com' })).code).toBe('not_found');
  });
  it('refuses a used, declined or revoked invitation, and an expired one (conflict at token)', () => {
    for (const status of ['accepted', 'declined', 'revoked'] as const) {
      const e = refusal(() => answer({ invitation: { ...pending, status } }));
      expect(e.code).toBe('conflict');
      expect(e.errors).toEqual([expect.objectContaining({ path: 'token', rule: 'used' })]);
    }
    const expired = refusal(() => answer({ now: pending.expiresAt }));
    expect(expired.errors).toEqual([expect.objectContaining({ path: 'token', rule: 'expired' })]);
  });
  it('refuses to accept into a workspace the user already belongs to, but lets them decline', () => {
    expect(refusal(() => answer({ alreadyMember: true })).message).toMatch(/already a member/);
    expect(answer({ alreadyMember: true, answer: 'decline' })).toBe('decline');
  });
});

describe('decideApiKeyRole', () => {
  it('allows the creator role and below, refuses above it at role', () => {
    expect(decideApiKeyRole({ creatorRole: 'admin', wanted: 'admin' })).toBe('admin');
    expect(decideApiKeyRole({ creatorRole: 'editor', wanted: 'viewer' })).toBe('viewer');
    const e = refusal(() => decideApiKeyRole({ creatorRole: 'editor', wanted: 'admin' }));
    expect(e.code).toBe('forbidden');
    expect(e.errors).toEqual([expect.objectContaining({ path: 'role', rule: 'above_creator' })]);
  });
});
