import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '@implant-trace/platform-auth';
import { CurrentPrincipal, Roles } from '@implant-trace/platform-auth';

import type { DeliveryView } from './deliveries/deliveries.use-case';
import { DeliveriesUseCase } from './deliveries/deliveries.use-case';
import { DeliveriesQueryDto, ReplayFailedDto } from './deliveries/delivery.dto';
import { ownOds } from './own-hospital.util';

const DEFAULT_PAGE = 50;

/** What was sent to a hospital's endpoints, every attempt, and replays; own hospital only. */
@ApiTags('deliveries')
@Roles('hospital-system')
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(@Inject(DeliveriesUseCase) private readonly deliveries: DeliveriesUseCase) {}

  @Get()
  list(
    @Query() query: DeliveriesQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    return this.deliveries.list(ownOds(principal), {
      ...(query.subscriptionId === undefined ? {} : { subscriptionId: query.subscriptionId }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      limit: query.limit ?? DEFAULT_PAGE,
    });
  }

  @Post('replay')
  @HttpCode(HttpStatus.OK)
  replayFailed(
    @Body() body: ReplayFailedDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ replayed: number }> {
    return this.deliveries.replayFailedSince(
      ownOds(principal),
      body.failedSince,
      body.subscriptionId,
    );
  }

  @Get(':id')
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DeliveryView> {
    return this.deliveries.get(ownOds(principal), id);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.OK)
  replay(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DeliveryView> {
    return this.deliveries.replay(ownOds(principal), id);
  }
}
