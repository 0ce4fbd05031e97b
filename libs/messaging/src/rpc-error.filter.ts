import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands every exception of a `@MessagePattern` handler to `RpcServer` as it was thrown. Without
 * it Nest's default RPC filter replaces a `FlowstackError` by a generic `Internal server error`
 * object, and the caller would lose the typed error; the server decides what crosses the wire
 * (typed errors as they are, anything else logged and answered `internal`).
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown, never> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
