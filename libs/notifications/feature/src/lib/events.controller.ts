import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '@implant-trace/platform-auth';
import { Audited, CurrentPrincipal, Roles } from '@implant-trace/platform-auth';

import type { FeedEventView } from './feed/events.use-case';
import { EventsUseCase } from './feed/events.use-case';
import { ownOds } from './own-hospital.util';
import { EventsQueryDto } from './subscriptions/subscription.dto';

const DEFAULT_PAGE = 100;

type EventsPage = { items: FeedEventView[]; nextCursor: string | null };

/** Match events carry the patient's NHS number: each read is audited. */
function patientsIn(result: unknown): number {
  return (result as EventsPage).items.filter((item) => 'patient' in item.data).length;
}

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(@Inject(EventsUseCase) private readonly events: EventsUseCase) {}

  @Roles('hospital-system')
  @Audited({
    action: 'events.read',
    resourceType: 'event',
    resourceIds: (_request, result) => (result as EventsPage).items.map((item) => item.id),
    patientCount: patientsIn,
  })
  @Get()
  list(
    @Query() query: EventsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventsPage> {
    return this.events.after(
      ownOds(principal),
      Number(query.after ?? '0'),
      query.limit ?? DEFAULT_PAGE,
    );
  }
}
