import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'flowstack:public';

/**
 * Marks a route (or a whole controller) as callable without a token. Every other route is behind
 * the global `JwtAuthGuard`: a new route is authenticated unless it says otherwise here.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
