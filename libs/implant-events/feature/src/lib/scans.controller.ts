import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Roles } from '@implant-trace/platform-auth';

import { CheckScanDto } from './check-scan/check-scan.dto';
import { CheckScanUseCase } from './check-scan/check-scan.use-case';
import { type ScanCheckAnswer, scanCheckAnswerOf } from './check-scan/scan-check-answer.dto';

/** What theatre scans before a package is opened: records nothing, so no hospital or audit. */
@ApiTags('scans')
@Controller('v1/scans')
export class ScansController {
  constructor(@Inject(CheckScanUseCase) private readonly checkScan: CheckScanUseCase) {}

  @Roles('theatre')
  @Post('check')
  @HttpCode(HttpStatus.OK)
  async check(@Body() body: CheckScanDto): Promise<ScanCheckAnswer> {
    const barcodes = body.barcodes ?? (body.barcode === undefined ? [] : [body.barcode]);
    return scanCheckAnswerOf(await this.checkScan.execute({ barcodes }));
  }
}
