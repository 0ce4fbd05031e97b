import type { UserView } from '@flowstack/contracts';
import type { User } from './user.entity';

/** The public face of a user: never the password hash. */
export const toUserView = (user: User): UserView => ({
  id: user.id,
  email: user.email,
  ...(user.name ? { name: user.name } : {}),
});
