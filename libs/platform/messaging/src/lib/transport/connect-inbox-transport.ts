import type { ArgumentsHost, INestApplication, RpcExceptionFilter } from '@nestjs/common';
import { Catch } from '@nestjs/common';
import type { NestMicroservice } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import { throwError } from 'rxjs';

import type { InboxTransport } from './inbox.transport';

/**
 * Nest's default filter turns a handler's error into a generic `{status, message}`, which
 * would hide a `PermanentEventError` (dead-letter, never retry) behind a retriable failure.
 * The consumer decides what an error means, so it gets the error itself.
 */
@Catch()
class HandlerErrorPassthroughFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Connects the inbox transport to an app (call before `app.init()`, then
 * `app.startAllMicroservices()`); its handlers are the app's `@EventPattern` methods.
 */
export function connectInboxTransport(app: INestApplication, transport: InboxTransport): void {
  // Deferred so the filter is in place before handlers are built; the app itself runs the
  // lifecycle hooks, so the microservice must not run them a second time.
  const microservice = app.connectMicroservice(
    { strategy: transport },
    { deferInitialization: true },
  ) as NestMicroservice;
  microservice.useGlobalFilters(new HandlerErrorPassthroughFilter());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
}
