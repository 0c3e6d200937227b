import type { IncomingMessage } from 'node:http';

import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { DeviceRecord } from '@implant-trace/device-registry-domain';
import { RegulatorFacing, Roles } from '@implant-trace/platform-auth';
import { ProblemException } from '@implant-trace/platform-http';

import { DEVICE_REGISTRY_OPTIONS, type DeviceRegistryOptions } from './device-registry.options';
import { GetDeviceUseCase } from './get-device/get-device.use-case';
import type { ImportReport } from './import-devices/import-devices.use-case';
import { ImportDevicesUseCase } from './import-devices/import-devices.use-case';
import { RegisterDeviceDto } from './register-device/register-device.dto';
import { RegisterDeviceUseCase } from './register-device/register-device.use-case';
import { SearchDevicesDto } from './search-devices/search-devices.dto';
import type { DevicePage } from './search-devices/search-devices.use-case';
import { SearchDevicesUseCase } from './search-devices/search-devices.use-case';

const EVERY_ROLE = ['theatre', 'regulator', 'hospital-system', 'admin'] as const;
const IMPORT_MEDIA_TYPES = ['text/csv', 'text/plain', 'application/octet-stream'];

/** The one thing this controller does with Express's response. */
interface StatusSettable {
  status(code: number): unknown;
}

/**
 * Regulators call every route here, so each is `@RegulatorFacing()`: the compiler refuses a
 * response type with a patient field.
 */
@ApiTags('devices')
@Controller('v1/devices')
export class DevicesController {
  constructor(
    @Inject(RegisterDeviceUseCase) private readonly registerDevice: RegisterDeviceUseCase,
    @Inject(GetDeviceUseCase) private readonly getDevice: GetDeviceUseCase,
    @Inject(SearchDevicesUseCase) private readonly searchDevices: SearchDevicesUseCase,
    @Inject(ImportDevicesUseCase) private readonly importDevices: ImportDevicesUseCase,
    @Inject(DEVICE_REGISTRY_OPTIONS) private readonly options: DeviceRegistryOptions,
  ) {}

  @Roles('regulator', 'admin')
  @RegulatorFacing()
  @Post()
  async register(
    @Body() body: RegisterDeviceDto,
    @Res({ passthrough: true }) response: StatusSettable,
  ): Promise<DeviceRecord> {
    const result = await this.registerDevice.execute(body);
    response.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return result.record;
  }

  @Roles('regulator', 'admin')
  @RegulatorFacing()
  @Post('import')
  import(@Req() request: IncomingMessage): Promise<ImportReport> {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (!IMPORT_MEDIA_TYPES.includes(mediaType ?? '')) {
      throw new ProblemException(
        415,
        'about:blank',
        `Send the file as ${IMPORT_MEDIA_TYPES.join(', ')}`,
      );
    }
    const limit = this.options.importMaxBytes;
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      throw new ProblemException(413, 'about:blank', `Import files are limited to ${limit} bytes`);
    }
    return this.importDevices.execute(request, { maxBytes: limit });
  }

  @Roles(...EVERY_ROLE)
  @RegulatorFacing()
  @Get()
  search(@Query() query: SearchDevicesDto): Promise<DevicePage> {
    return this.searchDevices.execute(query);
  }

  @Roles(...EVERY_ROLE)
  @RegulatorFacing()
  @Get('by-identifier/:deviceIdentifier')
  byIdentifier(@Param('deviceIdentifier') deviceIdentifier: string): Promise<DeviceRecord> {
    return this.getDevice.byIdentifier(deviceIdentifier);
  }

  @Roles(...EVERY_ROLE)
  @RegulatorFacing()
  @Get(':deviceId')
  byId(@Param('deviceId', new ParseUUIDPipe()) deviceId: string): Promise<DeviceRecord> {
    return this.getDevice.byId(deviceId);
  }
}
