import { Audited } from '@implant-trace/platform-auth';

/** A change to the one implant named by the route's `:id`: one patient's record touched. */
export const AuditedImplantChange = (action: string): MethodDecorator =>
  Audited({
    action,
    resourceType: 'implant',
    resourceIds: (request) => [request.params['id'] ?? ''],
    patientCount: () => 1,
  });
