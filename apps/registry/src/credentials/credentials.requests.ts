import { z } from 'zod';
import { credentialNameSchema, updateCredentialSchema } from '@flowstack/contracts';

/** `{ id }` of get and delete; an id that is not a uuid answers `not_found`, like an unknown one. */
export const credentialIdSchema = z.object({ id: z.string().max(200) });

/** `registry.credential.update`: the id plus the contract's PATCH body. */
export const updateCredentialRequestSchema = z.intersection(credentialIdSchema, updateCredentialSchema);

/** `registry.credential.sealed`: by id (an agent's `credentialId`) or by name (`{{ secrets.<name> }}`). */
export const sealedCredentialRequestSchema = z.union([
  z.strictObject({ id: z.string().max(200) }),
  z.strictObject({ name: credentialNameSchema }),
]);
