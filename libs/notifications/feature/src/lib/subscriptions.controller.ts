import {
  Body,
  Controller,
  Delete,
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
import { Idempotent } from '@implant-trace/platform-http';

import { ownOds } from './own-hospital.util';
import {
  CreateSubscriptionDto,
  PageQueryDto,
  RotateSecretDto,
} from './subscriptions/subscription.dto';
import type {
  SubscriptionView,
  SubscriptionWithSecret,
} from './subscriptions/subscriptions.use-case';
import { SubscriptionsUseCase } from './subscriptions/subscriptions.use-case';

const DEFAULT_PAGE = 50;

/** A hospital system registers where its notices go; the hospital is always the token's. */
@ApiTags('subscriptions')
@Roles('hospital-system')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(@Inject(SubscriptionsUseCase) private readonly subscriptions: SubscriptionsUseCase) {}

  @Idempotent()
  @Post()
  @HttpCode(HttpStatus.CREATED)
  create(
    @Body() body: CreateSubscriptionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubscriptionWithSecret> {
    return this.subscriptions.create(body, ownOds(principal), principal.sub);
  }

  @Get()
  list(
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: SubscriptionView[]; nextCursor: string | null }> {
    return this.subscriptions.list(ownOds(principal), query.limit ?? DEFAULT_PAGE, query.cursor);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.subscriptions.delete(id, ownOds(principal));
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  rotate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RotateSecretDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubscriptionWithSecret> {
    return this.subscriptions.rotateSecret(id, ownOds(principal), body.gracePeriodSeconds);
  }
}
