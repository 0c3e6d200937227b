import { SetMetadata } from '@nestjs/common';

export const AUDITED = 'implant-trace:audited';

export interface AuditedRoute {
  action: string;
  resourceType: string;
  /** The ids of the records read or written, from the request and the handler's result. */
  resourceIds: (
    request: { params: Record<string, string>; body: unknown },
    result: unknown,
  ) => string[];
  /** How many patients the response or change concerns. */
  patientCount: (result: unknown) => number;
}

/**
 * Marks a route that reads or writes patient-identifiable data: each successful call appends
 * an audit entry before the response leaves (writes that need the entry in their own
 * transaction call `AuditTrailRepository.append` with it instead).
 */
export const Audited = (route: AuditedRoute): MethodDecorator => SetMetadata(AUDITED, route);
