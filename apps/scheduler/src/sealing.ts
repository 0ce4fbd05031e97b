import { FlowstackError } from '@flowstack/contracts';
import { open, seal, type Keyring } from '@flowstack/vault';

/** Injection token of the scheduler's `Sealer`. */
export const SEALER = Symbol('SEALER');

/**
 * Seals the scheduler's secrets at rest (webhook secrets, notification URLs) with the platform's
 * master key (`FLOWSTACK_MASTER_KEY`, `@flowstack/vault`), bound to the workspace and the row, so a
 * sealed value copied to another row or workspace does not open. Without a key, writes that need
 * one answer `unavailable` naming the variable.
 */
export class Sealer {
  constructor(private readonly keyring: Keyring | undefined) {}

  seal(workspaceId: string, rowId: string, plaintext: string): string {
    return seal(this.require(), { workspaceId, credentialId: rowId }, plaintext);
  }

  open(workspaceId: string, rowId: string, sealed: string): string {
    return open(this.require(), { workspaceId, credentialId: rowId }, sealed);
  }

  private require(): Keyring {
    if (!this.keyring) throw new FlowstackError('unavailable', 'the scheduler has no master key: set FLOWSTACK_MASTER_KEY');
    return this.keyring;
  }
}
